"""Check real responses against openapi.yaml (helper for API and integration tests, not a test module).

    from tests.openapi_contract import validate_response

    resp = client.get(f"/v1/jobs/{job_id}")
    validate_response("get", "/v1/jobs/{job_id}", resp.status_code, resp.get_json(), resp.content_type)

`path_template` is the path exactly as written in openapi.yaml. Schemas are validated with JSON Schema draft
2020-12 over the whole spec document (so every `$ref` resolves), with format checking (date-time, date, uri).
For `application/x-ndjson` the schema is the schema of one line: pass the raw body (str or bytes) or the
list of already decoded lines.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parents[1] / "openapi.yaml"
SPEC_URI = "urn:berita-annotator:openapi"
NDJSON = "application/x-ndjson"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

_MAX_ERRORS = 10
_MAX_MESSAGE = 300
_URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")


@functools.lru_cache(maxsize=1)
def _spec() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    if not isinstance(spec, dict):
        raise AssertionError(f"{SPEC_PATH} is not a YAML mapping")
    return spec


def load_spec() -> dict[str, Any]:
    """The parsed openapi.yaml (a fresh copy: callers may modify it)."""
    return copy.deepcopy(_spec())


@functools.lru_cache(maxsize=1)
def _registry() -> Registry:
    resource = Resource.from_contents(_spec(), default_specification=DRAFT202012)
    return Registry().with_resource(SPEC_URI, resource)


def _format_checker() -> FormatChecker:
    checker = FormatChecker()  # every format jsonschema can check with the installed packages

    # jsonschema checks "uri" only when rfc3987 is installed; a light check is better than none.
    @checker.checks("uri")
    def _is_uri(instance: object) -> bool:
        return not isinstance(instance, str) or bool(_URI_RE.match(instance))

    return checker


_FORMAT_CHECKER = _format_checker()


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _pointer(*tokens: str) -> str:
    return "".join("/" + _escape(t) for t in tokens)


def _resolve_local(ref: str) -> tuple[Any, str]:
    """Follow an OpenAPI (non-schema) `$ref` such as '#/components/responses/NotFound'."""
    if not ref.startswith("#/"):
        raise AssertionError(f"only local $refs are supported, got {ref!r}")
    node: Any = _spec()
    for raw in ref[2:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        try:
            node = node[token]
        except (KeyError, TypeError):
            raise AssertionError(f"unresolvable $ref {ref!r}") from None
    return node, ref[1:]


def _response_object(method: str, path_template: str, status: int) -> tuple[dict[str, Any], str, str]:
    """(response object, its JSON pointer in the spec, operation label)."""
    spec = _spec()
    paths = spec.get("paths", {})
    method = method.lower()
    if path_template not in paths:
        raise AssertionError(f"{path_template!r} is not a path of openapi.yaml; known paths: {sorted(paths)}")
    operation = paths[path_template].get(method)
    if method not in HTTP_METHODS or not isinstance(operation, dict):
        documented = [m.upper() for m in HTTP_METHODS if m in paths[path_template]]
        raise AssertionError(f"{method.upper()} {path_template} is not documented (methods: {documented})")
    label = f"{method.upper()} {path_template} ({operation.get('operationId', '?')})"
    responses: dict[str, Any] = operation.get("responses", {})
    code = str(status)
    for key in (code, f"{code[0]}XX", f"{code[0]}xx", "default"):
        if key in responses:
            break
    else:
        raise AssertionError(f"{label}: status {status} is not documented (documented: {sorted(responses)})")
    response = responses[key]
    pointer = _pointer("paths", path_template, method, "responses", key)
    seen = set()
    while isinstance(response, dict) and "$ref" in response:
        if response["$ref"] in seen:
            raise AssertionError(f"{label}: circular $ref {response['$ref']!r}")
        seen.add(response["$ref"])
        response, pointer = _resolve_local(response["$ref"])
    return response, pointer, label


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _shorten(text: str) -> str:
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 3] + "..."


def _message(error: ValidationError) -> str:
    """jsonschema's message, without the (possibly huge) instance for combinators."""
    if error.validator == "not":
        forbidden = error.validator_value.get("required") if isinstance(error.validator_value, dict) else None
        if forbidden and len(error.validator_value) == 1:
            # the `if/then/else` rules: e.g. `result` only when status is finished
            return f"must not have {', '.join(map(repr, forbidden))} here (allowed only when e.g. status differs)"
        return f"must not be valid under {json.dumps(error.validator_value)}"
    if error.validator in ("anyOf", "oneOf"):
        return f"is not valid under {'any' if error.validator == 'anyOf' else 'exactly one'} of the given schemas"
    return _shorten(error.message)


def _describe(errors: list[ValidationError], where: str) -> list[str]:
    lines = []
    for error in sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        lines.append(f"  {where}{error.json_path[1:]} [{error.validator}]: {_message(error)}")
        # anyOf/oneOf failures hide the useful part in their context: show the deepest error of any branch
        if error.context:
            best = max(error.context, key=lambda e: len(e.absolute_path))
            lines.append(f"      closest: {where}{best.json_path[1:]} [{best.validator}]: {_message(best)}")
    return lines


def _ndjson_lines(body: object, label: str) -> list[object]:
    if isinstance(body, list):
        return list(body)
    if isinstance(body, bytes | bytearray):
        try:
            body = bytes(body).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise AssertionError(f"{label}: NDJSON body is not UTF-8: {exc}") from None
    if not isinstance(body, str):
        raise AssertionError(f"{label}: NDJSON body must be str, bytes or a list of lines, got {type(body).__name__}")
    raw_lines = body.split("\n")
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()  # the newline ending the last line
    decoded: list[object] = []
    for number, line in enumerate(raw_lines, start=1):
        if not line.strip():
            raise AssertionError(f"{label}: NDJSON line {number} is blank")
        try:
            decoded.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise AssertionError(f"{label}: NDJSON line {number} is not JSON ({exc}): {_shorten(line)}") from None
    return decoded


def _validator(pointer: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"{SPEC_URI}#{pointer}"}, registry=_registry(), format_checker=_FORMAT_CHECKER)


def _check(validator: Draft202012Validator, instances: Iterable[tuple[str, object]], label: str) -> None:
    problems: list[str] = []
    count = 0
    for where, instance in instances:
        errors = list(validator.iter_errors(instance))
        count += len(errors)
        problems.extend(_describe(errors, where))
    if problems:
        shown = problems[: _MAX_ERRORS * 2]
        more = f"\n  ... ({count} errors in all)" if len(problems) > len(shown) else ""
        raise AssertionError(f"{label}: response does not match openapi.yaml:\n" + "\n".join(shown) + more)


def validate_response(
    method: str,
    path_template: str,
    status: int,
    body: object,
    content_type: str = "application/json",
) -> None:
    """Raise AssertionError unless `body` is a documented response of this operation, status and content type."""
    response, pointer, label = _response_object(method, path_template, status)
    label = f"{label} -> {status}"
    content: dict[str, Any] = response.get("content") or {}
    media_type = _media_type(content_type)
    if not content:
        if body not in (None, b"", ""):
            raise AssertionError(f"{label}: no body is documented, got {_shorten(repr(body))}")
        return
    if media_type not in content:
        raise AssertionError(
            f"{label}: content type {content_type!r} is not documented (documented: {sorted(content)})"
        )
    if "schema" not in content[media_type]:
        return
    validator = _validator(pointer + _pointer("content", media_type, "schema"))
    if media_type == NDJSON:
        lines = _ndjson_lines(body, label)
        _check(validator, ((f"line {i}: $", line) for i, line in enumerate(lines, start=1)), label)
    else:
        if isinstance(body, bytes | bytearray):
            try:
                body = json.loads(bytes(body).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise AssertionError(f"{label}: body is not JSON: {exc}") from None
        _check(validator, [("$", body)], label)


def validate_schema(name: str, instance: object) -> None:
    """Validate `instance` against components/schemas/<name> (e.g. a Result built without HTTP)."""
    if name not in _spec().get("components", {}).get("schemas", {}):
        raise AssertionError(f"no schema {name!r} in openapi.yaml")
    validator = _validator(_pointer("components", "schemas", name))
    _check(validator, [("$", instance)], f"schema {name}")
