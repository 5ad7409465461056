"""`annotator`: annotate one text or a whole archive through the service, or in-process with `local`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import click

from client.api import AnnotatorClient
from client.batch_run import run_batch
from client.inputs import InputError, read_documents
from client.pretty import format_result, problem_text
from client.progress import Progress
from client.resume import Plan, ResultWriter, done_ids
from client.transport import AnnotatorError, JobFailed

TASKS = ("entities", "sentiment", "events", "syntax")
DEFAULT_URL = "http://127.0.0.1:8000"


def _tasks(_: click.Context, __: click.Parameter, value: str | None) -> list[str] | None:
    if not value:
        return None
    tasks = [t.strip() for t in value.split(",") if t.strip()]
    unknown = [t for t in tasks if t not in TASKS]
    if unknown or not tasks:
        raise click.BadParameter(f"{', '.join(unknown) or value!r}: choose from {', '.join(TASKS)}")
    return tasks


tasks_option = click.option("--tasks", callback=_tasks, metavar="LIST",
                            help=f"Comma-separated tasks ({', '.join(TASKS)}); the service's default otherwise.")
language_option = click.option("--language", help="Language of the text (default: the service's, 'id').")


def document_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The fields of one document, shared by `annotate` and `local`."""
    for option in reversed([
        click.option("--id", "doc_id", help="Your document id, echoed in the result."),
        click.option("--title"), click.option("--doc-url", help="The article's URL."),
        click.option("--published-at", help="ISO 8601 date or date-time; resolves relative dates."),
        language_option, tasks_option,
        click.option("--pretty", is_flag=True, help="A readable summary instead of JSON."),
    ]):
        command = option(command)
    return command


def _payload(file: BinaryIO, **fields: Any) -> dict[str, Any]:
    # Bytes, decoded as is: text mode would turn CRLF into LF and the offsets would not match the file.
    text = file.read().decode("utf-8-sig")
    names = {"doc_id": "id", "doc_url": "url"}
    return {"text": text, **{names.get(k, k): v for k, v in fields.items() if v is not None}}


def _show(result: dict[str, Any], pretty: bool) -> None:
    click.echo(format_result(result) if pretty else json.dumps(result, ensure_ascii=False, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--url", envvar="ANNOTATOR_URL", default=DEFAULT_URL, show_default=True, show_envvar=True,
              help="Base URL of the annotation service.")
@click.option("--key", envvar="ANNOTATOR_KEY", show_envvar=True, help="API key, sent as a Bearer token.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds per HTTP request.")
@click.pass_context
def main(ctx: click.Context, url: str, key: str | None, timeout: float) -> None:
    """Annotate Indonesian news: entities, sentiment and PLOVER events."""
    ctx.obj = AnnotatorClient(url, key, timeout=timeout)


@main.command()
@click.argument("file", type=click.File("rb"))
@document_options
@click.option("--wait", type=float, default=300.0, show_default=True, help="Seconds to wait for the result.")
@click.pass_obj
def annotate(client: AnnotatorClient, file: BinaryIO, pretty: bool, wait: float, **fields: Any) -> None:
    """Annotate the text in FILE (- for stdin) through the service and print the result."""
    payload = _payload(file, **fields)
    try:
        result = client.annotate(payload.pop("text"), timeout=wait, **payload)
    except JobFailed as exc:
        raise click.ClickException(f"the annotation failed: {problem_text(exc.problem)}") from exc
    except AnnotatorError as exc:
        raise click.ClickException(problem_text(exc.problem) if exc.problem else str(exc)) from exc
    _show(result, pretty)


@main.command()
@click.argument("file", type=click.File("rb"))
@document_options
def local(file: BinaryIO, pretty: bool, **fields: Any) -> None:
    """Annotate FILE (- for stdin) in this process, without a server; loads the models from models/."""
    payload = _payload(file, **fields)
    if not payload["text"].strip():
        raise click.ClickException("the text is empty")
    try:
        # Imported here only: the rest of the client must work without Stanza and torch installed.
        from workers import pipeline, tasks
        from workers.config import WorkerSettings
        from workers.errors import DocumentError
    except ImportError as exc:
        raise click.ClickException(f"`annotator local` needs stanza and torch installed: {exc}") from exc
    click.echo("loading models ...", err=True)
    pipeline.load(WorkerSettings.from_env())
    try:
        result = tasks.annotate(payload)
    except DocumentError as exc:
        raise click.ClickException(str(exc)) from exc
    _show(result, pretty)


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="JSON lines {id, job_id, result}; appended to, and ids already in it are skipped.")
@tasks_option
@language_option
@click.option("--concurrency", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Batches in flight at once.")
@click.option("--chunk-size", type=click.IntRange(1, 1000), default=100, show_default=True,
              help="Documents per batch.")
@click.option("--limit", type=click.IntRange(1), help="Stop after this many documents (re-run to continue).")
@click.option("--progress-every", type=float, default=5.0, show_default=True,
              help="Seconds between progress lines when stderr is not a terminal.")
@click.pass_obj
def batch(client: AnnotatorClient, input_path: Path, output: Path, tasks: list[str] | None, language: str | None,
          concurrency: int, chunk_size: int, limit: int | None, progress_every: float) -> None:
    """Annotate every document of INPUT into OUTPUT.

    INPUT is a .jsonl file of {"id", "text", ...} objects, a CSV with id and text columns, or a folder of .txt
    files (id = file name without .txt). Results are written as they finish; re-running the same command skips
    the ids OUTPUT already holds, so an interrupted run resumes where it stopped.
    """
    try:
        plan = Plan(done_ids(output)).scan(read_documents(input_path))
    except InputError as exc:
        raise click.ClickException(str(exc)) from exc
    err = sys.stderr
    err.write(f"{plan.total} documents in {input_path}: {plan.skipped} already in {output}, "
              f"{len(plan.duplicates)} repeated ids skipped, {plan.todo} to annotate\n")
    if plan.duplicates:
        err.write(f"repeated ids (only the first document with each is annotated): "
                  f"{', '.join(plan.duplicates[:10])}{' ...' if len(plan.duplicates) > 10 else ''}\n")
    documents = plan.pending(read_documents(input_path))
    if language:
        documents = ({"language": language, **d} for d in documents)
    progress = Progress(min(plan.todo, limit or plan.todo), err, interval=progress_every)
    with ResultWriter(output) as writer:
        outcome = run_batch(client, documents, writer, progress, tasks=tasks, concurrency=concurrency,
                            chunk_size=chunk_size, limit=limit)
    sys.exit(outcome.report(err, plan.todo))


if __name__ == "__main__":
    main()
