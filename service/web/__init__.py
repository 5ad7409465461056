"""The editors' page (/), the API docs rendered from openapi.yaml (/docs) and the raw spec (/openapi.yaml).

Public, like /static/* (the app's own static folder, service/static/): the page itself calls the API from the
browser with the API key the editor typed in. Plain HTML, CSS and one script; no build step, no CDN, so the
page and the docs work on a machine without internet access.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, send_file

from service.config import ROOT
from service.web import docs

SPEC = ROOT / "openapi.yaml"
# The page and the docs load nothing but their own files: no inline script, no third-party origin.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")

bp = Blueprint("web", __name__, template_folder="templates")


def _static_dir() -> Path:
    return Path(current_app.static_folder or ROOT / "service" / "static")


def _secure(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/")
def index() -> Response:
    response = send_file(_static_dir() / "index.html", mimetype="text/html", max_age=0)
    return _secure(response)


@bp.get("/docs")
def api_docs() -> Response:
    return _secure(Response(render_template("docs.html", docs=docs.load(SPEC)), mimetype="text/html"))


@bp.get("/openapi.yaml")
def spec() -> Response:
    response = send_file(SPEC, mimetype="application/yaml", max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
