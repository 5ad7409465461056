"""The editors' page, the docs and the spec: public, self-contained (nothing from other origins), escaped."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml
from flask import Flask

from service.config import ROOT
from service.web import docs

STATIC = ROOT / "service" / "static"
SPEC = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)


@pytest.mark.parametrize("path", ["/", "/docs", "/openapi.yaml", "/static/app.js", "/static/app.css",
                                  "/static/samples.json"])
def test_public_without_key(app: Flask, path: str) -> None:
    response = app.test_client().get(path)  # no Authorization header
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


def test_page_is_self_contained(app: Flask) -> None:
    response = app.test_client().get("/")
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert not EXTERNAL.search(html)
    assert "<script>" not in html and "style=" not in html  # the CSP allows no inline script or style
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    assert ".innerHTML" not in script and "insertAdjacentHTML" not in script and "document.write" not in script
    assert "offsets: \"utf16\"" in script


def test_samples_are_articles() -> None:
    samples: list[dict[str, Any]] = json.loads((STATIC / "samples.json").read_text(encoding="utf-8"))
    assert 3 <= len(samples) <= 6
    assert len({s["id"] for s in samples}) == len(samples)
    for sample in samples:
        assert {"id", "label", "title", "text", "published_at"} <= sample.keys()
        assert re.search(r"(?im)^baca juga:", sample["text"]) and re.search(r"(?m)^Editor: ", sample["text"])
        assert len(sample["text"]) < 2000


def test_spec_is_served_as_is(app: Flask) -> None:
    response = app.test_client().get("/openapi.yaml")
    assert response.mimetype == "application/yaml"
    assert response.data == (ROOT / "openapi.yaml").read_bytes()


def test_docs_list_every_operation_and_schema(app: Flask) -> None:
    response = app.test_client().get("/docs")
    html = response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert not EXTERNAL.search(html) and "<script" not in html
    for item in SPEC["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "operationId" in operation:
                assert f'id="op-{operation["operationId"]}"' in html, operation["operationId"]
    for name in SPEC["components"]["schemas"]:
        assert f'id="schema-{name}"' in html
    # every internal link points at an anchor that exists
    anchors = set(re.findall(r'id="([^"]+)"', html))
    assert {href for href in re.findall(r'href="#([^"]+)"', html)} <= anchors
    # parameters, request bodies and responses are there, not just the titles
    start = html.index('id="op-createAnnotation"')
    create = html[start:html.index('id="op-', start + 1)]
    for needle in ("Idempotency-Key", "include_boilerplate", "#schema-AnnotationRequest", "202", "422", "Location"):
        assert needle in create, needle


def test_markdown_is_escaped() -> None:
    html = str(docs.render_markdown("## Title <b>\n\nUse `<script>` and **bold** *it*.\n- one\n- two <i>"))
    assert "<h3>Title &lt;b&gt;</h3>" in html
    assert "<code>&lt;script&gt;</code>" in html and "<strong>bold</strong>" in html and "<em>it</em>" in html
    assert "<ul><li>one</li><li>two &lt;i&gt;</li></ul>" in html
    assert "<script>" not in html


def test_schema_view_rules_and_refs() -> None:
    job = docs.schema_view(SPEC["components"]["schemas"]["Job"])
    assert job.kind == "object" and job.closed
    assert 'if status = "finished" then required: result else absent: result' in job.rules
    result = next(p for p in job.props if p.name == "result")
    assert result.schema.kind == "ref" and result.schema.ref == "Result"
    pattern = docs.schema_view({"type": "string", "pattern": r"^\d+$"})
    assert pattern.constraints == [r"pattern: ^\d+$"]
