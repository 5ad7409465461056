"""`flask --app service.wsgi keys create|list|revoke`: API keys are managed here, never over HTTP."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from service.config import Settings
from service.keys import KeyStore

keys_cli = AppGroup("keys", help="Create, list and revoke API keys.")


def _store() -> tuple[KeyStore, Settings]:
    return current_app.extensions["keys"], current_app.extensions["settings"]


@keys_cli.command("create")
@click.option("--name", required=True, help="Who the key is for, e.g. cms or archive-import.")
@click.option("--rate-limit", type=click.IntRange(min=1), default=None,
              help="Requests per rate window (RATE_WINDOW seconds, default 60).")
@click.option("--queue-quota", type=click.IntRange(min=1), default=None,
              help="Documents this key may have queued or running at once.")
def create(name: str, rate_limit: int | None, queue_quota: int | None) -> None:
    """Create a key and print it once: only its digest is stored."""
    store, settings = _store()
    plaintext, record = store.create(name, rate_limit or settings.default_rate_limit,
                                     queue_quota or settings.default_queue_quota)
    click.echo(plaintext)
    click.echo(f"id {record.id}  name {name!r}  rate limit {record.rate_limit}/{settings.rate_window}s  "
               f"queue quota {record.queue_quota}", err=True)
    click.echo(f"webhook signing secret: {record.webhook_secret}", err=True)


@keys_cli.command("list")
def list_keys() -> None:
    """One JSON line per key (no secrets)."""
    store, _ = _store()
    for record in store.list():
        click.echo(json.dumps(record.public()))


@keys_cli.command("revoke")
@click.argument("key_id")
def revoke(key_id: str) -> None:
    """Revoke a key by its id (the 12 hex digits after bk_); requests with it get 401 at once."""
    store, _ = _store()
    if not store.revoke(key_id):
        raise click.ClickException(f"no key with id {key_id!r}")
    click.echo(f"revoked {key_id}")
