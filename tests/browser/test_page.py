"""The editors' page in a real browser: submit a bundled sample, watch the job, check what is drawn.

Every assertion about the highlights compares the page with the job's own JSON (read with the same key), so an
offset that is off by one code unit (emoji!) shows up as a highlight whose text is not the entity's text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service.config import ROOT
from tests.integration.conftest import Stack

SAMPLES = json.loads((ROOT / "service" / "static" / "samples.json").read_text(encoding="utf-8"))
JOB_TIMEOUT_MS = 240_000  # the first job of a fresh worker, on a busy 2-core machine


def sample_index(sample_id: str) -> int:
    return next(i for i, sample in enumerate(SAMPLES) if sample["id"] == sample_id)


@pytest.fixture()
def context(browser: Any, stack: Stack) -> Iterator[Any]:
    """A fresh browser profile (empty localStorage) that records requests to other origins and script errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    foreign: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: None if r.url.startswith((stack.url, "blob:", "data:")) else foreign.append(r.url))

    def watch(page: Any) -> None:
        page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
        # a refused fetch (401, 409) is logged as "Failed to load resource" by design; anything else is a bug,
        # e.g. "Refused to ... because it violates the Content Security Policy"
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and
                not msg.text.startswith("Failed to load resource") else None)

    context.on("page", watch)
    try:
        yield context
    finally:
        context.close()
    assert not foreign, f"the page loaded something from elsewhere (must work offline): {foreign}"
    assert not errors, f"errors in the browser console: {errors}"


def annotate_sample(page: Any, stack: Stack, sample_id: str) -> dict[str, Any]:
    """Pick the sample, submit, wait for the highlights; the finished job as the API returns it (utf16)."""
    from playwright.sync_api import expect

    page.select_option("#sample", str(sample_index(sample_id)))
    expect(page.locator("#text")).to_have_value(SAMPLES[sample_index(sample_id)]["text"])
    page.click("#submit")
    expect(page.locator("#job-status")).to_have_attribute("data-status", "finished", timeout=JOB_TIMEOUT_MS)
    expect(page.locator("#result")).to_have_attribute("data-ready", "true")
    job_id = page.locator("#job-id").inner_text()
    response = stack.http.get(f"{stack.url}/v1/jobs/{job_id}", params={"offsets": "utf16"}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def screenshot(page: Any, output_dir: Path, name: str, full_page: bool = True) -> Path:
    path = output_dir / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    print(f"screenshot: {path}")
    return path


def test_key_from_link_and_401_message(context: Any, stack: Stack) -> None:
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto(f"{stack.url}/")
    page.evaluate("localStorage.clear()")
    page.reload()
    page.select_option("#sample", "0")
    page.click("#submit")
    message = page.locator("#message")
    expect(message).to_be_visible()
    expect(message).to_contain_text("needs an API key")
    assert page.evaluate("document.activeElement.id") == "api-key"

    page.goto(f"{stack.url}/#key={stack.api_key}")
    expect(page.locator("#key-state")).to_contain_text("saved")
    assert "key=" not in page.url, "the key must leave the address bar"
    assert page.evaluate("localStorage.getItem('berita-annotator.api-key')") == stack.api_key
    assert page.input_value("#api-key") == stack.api_key


def test_sample_is_annotated_and_shown(context: Any, stack: Stack, output_dir: Path) -> None:
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto(f"{stack.url}/#key={stack.api_key}")
    job = annotate_sample(page, stack, "sample-antara-diplomasi")
    result = job["result"]
    assert result["offsets"] == "utf16"

    # entities, each highlighted exactly over its text (the label is CSS generated content, not text)
    marks = page.locator("#annotated mark.ent")
    expect(marks).to_have_count(len(result["entities"]))
    shown = marks.evaluate_all("ms => ms.map(m => [m.dataset.entity, m.dataset.type, m.textContent])")
    assert shown == [[e["id"], e["type"], e["text"]] for e in result["entities"]]
    assert {"PER", "LOC"} <= {t for _, t, _ in shown}
    label = marks.first.evaluate("m => getComputedStyle(m, '::after').content")
    assert label.strip('"') == result["entities"][0]["type"]

    # boilerplate greyed out, sentence sentiment in the margin
    boilerplate = page.locator("#annotated .bp").evaluate_all("ns => ns.map(n => n.textContent).join('')")
    assert "Editor: Rina Susanti" in boilerplate and "Baca juga:" in boilerplate
    expect(page.locator("#annotated .sent-mark")).to_have_count(
        sum(1 for s in result["sentences"] if s.get("sentiment")))

    # events: one row each, "source -> TYPE -> target"; a click highlights the trigger and actors in the text
    events = result["events"]
    assert events, "the sample must produce events"
    rows = page.locator("#events tbody tr")
    expect(rows).to_have_count(len(events))
    first = events[0]
    expect(rows.first).to_contain_text(first["type"])
    expect(rows.first).to_contain_text(first["source"]["actor"]["name"])
    rows.first.click()
    expect(rows.first).to_have_class(re.compile(r"\bselected\b"))
    trigger = page.locator("#annotated .hl-trigger").evaluate_all("ns => ns.map(n => n.textContent).join('')")
    assert trigger == first["trigger"]["text"]
    source = page.locator("#annotated .hl-source").evaluate_all("ns => ns.map(n => n.textContent).join('')")
    assert source == first["source"]["text"]

    # the graph: one node per actor, edges coloured by quad class
    actors = {e["source"]["actor"]["name"] for e in events} | {e["target"]["actor"]["name"] for e in events
                                                                 if e["target"]}
    expect(page.locator("#graph g.node")).to_have_count(min(len(actors), 16))
    quad = events[0]["quad_class"].replace(" ", "-")
    assert page.locator(f"#graph .q-fill-{quad}").count() > 0

    # export links: the real URLs, opened with the key by a click
    links = page.locator("#export-links a")
    expect(links).to_have_count(4)
    hrefs = links.evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert hrefs == [f"/v1/jobs/{job['job_id']}?format={f}" for f in ("json", "conllu", "webannotation", "brat")]
    with context.expect_page() as opened:
        page.click("#export-links a[data-format=json]")
    raw = opened.value
    raw.wait_for_load_state()
    assert json.loads(raw.locator("body").inner_text())["job_id"] == job["job_id"]
    raw.close()
    page.click("#export-links a[data-format=conllu]")  # no syntax task: the API's 409 is shown
    expect(page.locator("#message")).to_contain_text("syntax")

    path = screenshot(page, output_dir, "annotated-antara")
    assert path.stat().st_size > 10_000


def test_emoji_do_not_shift_highlights(context: Any, stack: Stack, output_dir: Path) -> None:
    page = context.new_page()
    page.goto(f"{stack.url}/#key={stack.api_key}")
    job = annotate_sample(page, stack, "sample-idntimes-demo")
    entities = job["result"]["entities"]
    assert any(ord(c) > 0xFFFF for c in SAMPLES[sample_index("sample-idntimes-demo")]["text"])
    shown = page.locator("#annotated mark.ent").evaluate_all("ms => ms.map(m => m.textContent)")
    assert shown == [e["text"] for e in entities]
    # the whole text is on the page, unchanged, in order (the margin marks are buttons outside .line-text)
    text = page.locator("#annotated .line-text").evaluate_all("ns => ns.map(n => n.textContent).join('\\n')")
    assert text == SAMPLES[sample_index("sample-idntimes-demo")]["text"]
    screenshot(page, output_dir, "annotated-emoji")


def test_docs_render_offline(context: Any, stack: Stack, output_dir: Path) -> None:
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto(f"{stack.url}/docs")
    expect(page.locator("#op-createAnnotation")).to_contain_text("/v1/annotations")
    expect(page.locator("#schema-Event")).to_contain_text("quad_class")
    page.click("#op-getJob a.ref[href='#schema-Job'] >> nth=0")
    assert page.url.endswith("#schema-Job")
    screenshot(page, output_dir, "docs", full_page=False)
