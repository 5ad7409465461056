"""GET /v1/health, /v1/ready, /v1/models."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, jsonify
from redis.exceptions import RedisError

from service.api.common import settings, store
from service.errors import Problem

bp = Blueprint("health", __name__)
SCORES_BLOCK = re.compile(r"<!-- scores:begin -->\s*```json\s*(.*?)```\s*<!-- scores:end -->", re.S)


@bp.get("/v1/health")
def health() -> Response:
    return jsonify({"status": "ok"})


@bp.get("/v1/ready")
def ready() -> Response:
    jobs = store()
    try:
        jobs.redis.ping()
        workers = jobs.workers()
    except RedisError as exc:
        raise Problem(503, "Service Unavailable", "Redis is unreachable", "service-unavailable",
                      headers={"Retry-After": "5"}) from exc
    if not workers:
        raise Problem(503, "Service Unavailable", "no worker has its models loaded yet", "service-unavailable",
                      headers={"Retry-After": "5"})
    return jsonify({"status": "ready", "redis": True, "workers": len(workers)})


def card_scores(card: Path) -> dict[str, Any]:
    """The machine-readable scores block of models/MODEL_CARD.md, keyed by language."""
    if not card.exists():
        return {}
    match = SCORES_BLOCK.search(card.read_text(encoding="utf-8"))
    return json.loads(match.group(1)) if match else {}


@bp.get("/v1/models")
def models() -> Response:
    models_dir = settings().models_dir
    manifest = json.loads((models_dir / "manifest.json").read_text(encoding="utf-8"))
    scores = card_scores(models_dir / "MODEL_CARD.md")
    languages = [{"language": lang, "name": manifest["name"], "version": manifest["version"],
                  "components": list(spec["processors"]), "scores": scores.get(lang, {})}
                 for lang, spec in manifest["languages"].items()]
    known = {item["language"] for item in languages}
    try:
        workers = store().workers()
    except RedisError:
        workers = []  # the installed models are still known; openapi.yaml has no 503 for this read-only listing
    for worker in workers:
        for lang in worker.get("languages", []):
            if lang not in known:
                known.add(lang)
                languages.append({"language": lang, "name": f"stanza-{lang}", "version": "official",
                                  "components": [], "scores": {}})
    return jsonify({"languages": languages})
