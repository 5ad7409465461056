"""openapi.yaml as a view model for the /docs template: operations, parameters, request and response schemas.

Rendered on the server into plain HTML (templates/docs.html), so the docs work offline and need no script.
Schemas are shown as nested property tables; a `$ref` to a component schema becomes a link to that schema's
own section instead of being inlined (no infinite recursion, no repeated walls of text). Parameters, responses
and headers referenced from components are resolved in place, since they are short.

Descriptions are CommonMark in the spec; render_markdown() handles the subset the spec uses (paragraphs,
`## headings`, `- lists`, `code`, **bold**, *italic*) and escapes everything else.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup, escape

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")
CONSTRAINT_KEYS = ("format", "pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
                   "exclusiveMaximum", "minItems", "maxItems", "uniqueItems")
MAX_DEPTH = 6

_INLINE = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|\*([^*\s][^*]*?)\*")
_LIST_ITEM = re.compile(r"^\s*[-*] +")
_HEADING = re.compile(r"^(#{1,6}) +(.*)$")


def _inline(text: str) -> Markup:
    out: list[Markup] = []
    pos = 0
    for match in _INLINE.finditer(text):
        out.append(escape(text[pos:match.start()]))
        code, bold, italic = match.groups()
        if code is not None:
            out.append(Markup("<code>%s</code>") % code)
        elif bold is not None:
            out.append(Markup("<strong>%s</strong>") % bold)
        else:
            out.append(Markup("<em>%s</em>") % italic)
        pos = match.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def render_markdown(text: str | None, heading_base: int = 3) -> Markup:
    """The Markdown subset of the spec's descriptions, as safe HTML (every piece of text is escaped)."""
    if not text:
        return Markup("")
    html: list[Markup] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            html.append(Markup("<p>%s</p>") % _inline(" ".join(line.strip() for line in paragraph)))
            paragraph.clear()
        if items:
            html.append(Markup("<ul>%s</ul>") % Markup("").join(Markup("<li>%s</li>") % _inline(i) for i in items))
            items.clear()

    for line in text.splitlines():
        heading = _HEADING.match(line.strip())
        if not line.strip():
            flush()
        elif heading:
            flush()
            level = min(6, heading_base + len(heading.group(1)) - 2)
            html.append(Markup("<h%d>%s</h%d>") % (level, _inline(heading.group(2)), level))
        elif _LIST_ITEM.match(line):
            if paragraph:
                flush()
            items.append(_LIST_ITEM.sub("", line))
        elif items and line.startswith("  "):
            items[-1] += " " + line.strip()  # continuation of a list item
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return Markup("").join(html)


# --------------------------------------------------------------------------------------------- schemas


@dataclass
class Prop:
    name: str
    required: bool
    schema: SchemaView


@dataclass
class SchemaView:
    """One schema node. kind: ref, object, array, union, scalar or any."""

    kind: str
    ref: str | None = None  # component schema name, for kind == "ref"
    types: list[str] = field(default_factory=list)
    description: Markup = field(default_factory=Markup)
    constraints: list[str] = field(default_factory=list)
    enum: list[str] = field(default_factory=list)
    props: list[Prop] = field(default_factory=list)
    additional: SchemaView | None = None  # additionalProperties given as a schema
    closed: bool = False  # additionalProperties: false
    items: SchemaView | None = None
    prefix_items: list[SchemaView] = field(default_factory=list)
    union: str = ""  # "any of", "one of", "all of"
    options: list[SchemaView] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)  # the if/then/else rules of an allOf, one line each


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _literal(value: Any) -> str:
    """A JSON value as written in the spec: strings in double quotes, nothing escaped twice."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return str(value)


def _constraint(key: str, value: Any) -> str:
    return f"{key}: {value}" if key in ("pattern", "format") else f"{key}: {_literal(value)}"


def _assertions(schema: Any) -> list[str]:
    """What one side of an if/then/else rule says, as short phrases."""
    if not isinstance(schema, dict):
        return []
    out = []
    for name, sub in (schema.get("properties") or {}).items():
        if not isinstance(sub, dict):
            continue
        if "const" in sub:
            out.append(f"{name} = {_literal(sub['const'])}")
        elif "enum" in sub:
            out.append(f"{name} one of {_literal(sub['enum'])}")
        elif "type" in sub:
            out.append(f"{name} is {_literal(sub['type'])}")
        else:
            out.append(f"{name} as constrained")
    if schema.get("required"):
        out.append("required: " + ", ".join(schema["required"]))
    not_required = (schema.get("not") or {}).get("required") if isinstance(schema.get("not"), dict) else None
    if not_required:
        out.append("absent: " + ", ".join(not_required))
    return out


def rule_text(rule: dict[str, Any]) -> str:
    """An if/then/else rule of an allOf, in one line: `if status = "failed" then required: error`."""
    text = "if " + " and ".join(_assertions(rule.get("if")) or ["…"])
    text += " then " + "; ".join(_assertions(rule.get("then")) or ["…"])
    if "else" in rule:
        text += " else " + "; ".join(_assertions(rule.get("else")) or ["…"])
    return text


def schema_view(schema: Any, depth: int = 0) -> SchemaView:
    if not isinstance(schema, dict):
        return SchemaView(kind="any")
    if "$ref" in schema:
        return SchemaView(kind="ref", ref=_ref_name(schema["$ref"]), description=render_markdown(schema.get(
            "description")))
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else list(types)
    view = SchemaView(kind="scalar", types=types, description=render_markdown(schema.get("description")))
    for key in CONSTRAINT_KEYS:
        if key in schema:
            view.constraints.append(_constraint(key, schema[key]))
    if "default" in schema:
        view.constraints.append(f"default: {_literal(schema['default'])}")
    if "const" in schema:
        view.constraints.append(f"const: {_literal(schema['const'])}")
    if "examples" in schema and isinstance(schema["examples"], list):
        view.constraints.append("examples: " + ", ".join(_literal(e) for e in schema["examples"][:4]))
    view.enum = [_literal(value) for value in schema.get("enum", [])]
    view.rules = [rule_text(rule) for rule in schema.get("allOf", []) if isinstance(rule, dict) and "if" in rule]
    if depth >= MAX_DEPTH:
        return view
    for keyword, label in (("anyOf", "any of"), ("oneOf", "one of"), ("allOf", "all of")):
        options = [s for s in schema.get(keyword, []) if isinstance(s, dict) and "if" not in s]
        if options:
            view.kind, view.union = "union", label
            view.options = [schema_view(option, depth + 1) for option in options]
            break
    properties = schema.get("properties")
    if isinstance(properties, dict) or "object" in types:
        required = set(schema.get("required", []))
        view.kind = "object" if view.kind != "union" else view.kind
        view.props = [Prop(name, name in required, schema_view(sub, depth + 1))
                      for name, sub in (properties or {}).items()]
        additional = schema.get("additionalProperties")
        view.closed = additional is False
        if isinstance(additional, dict):
            view.additional = schema_view(additional, depth + 1)
    if "array" in types or "items" in schema or "prefixItems" in schema:
        view.kind = "array" if view.kind == "scalar" else view.kind
        if isinstance(schema.get("items"), dict):
            view.items = schema_view(schema["items"], depth + 1)
        view.prefix_items = [schema_view(s, depth + 1) for s in schema.get("prefixItems", [])]
    return view


# --------------------------------------------------------------------------------------------- operations


@dataclass
class Parameter:
    name: str
    location: str
    required: bool
    description: Markup
    schema: SchemaView


@dataclass
class Content:
    media_type: str
    schema: SchemaView
    examples: list[tuple[str, str]]  # (name, YAML dump of the value)


@dataclass
class ResponseView:
    status: str
    description: Markup
    headers: list[Parameter]
    content: list[Content]


@dataclass
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    description: Markup
    tags: list[str]
    parameters: list[Parameter]
    request: list[Content]
    request_required: bool
    responses: list[ResponseView]
    security: list[str]

    @property
    def anchor(self) -> str:
        return f"op-{self.operation_id or (self.method + self.path)}"


@dataclass
class TagView:
    name: str
    description: Markup
    operations: list[Operation]


@dataclass
class SecurityScheme:
    name: str
    kind: str
    description: Markup


@dataclass
class Docs:
    title: str
    version: str
    summary: str
    description: Markup
    servers: list[tuple[str, str]]
    tags: list[TagView]
    webhooks: list[Operation]
    schemas: list[tuple[str, SchemaView]]
    security_schemes: list[SecurityScheme]


class _Spec:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def resolve(self, node: Any) -> Any:
        """Follow a local `$ref` (a few levels at most) to the component it names."""
        for _ in range(5):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/")):
                return node
            target: Any = self.spec
            for part in node["$ref"][2:].split("/"):
                target = target.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(target, dict) \
                    else {}
            node = target
        return node

    def parameter(self, raw: Any) -> Parameter:
        param = self.resolve(raw)
        return Parameter(str(param.get("name", "")), str(param.get("in", "")), bool(param.get("required")),
                         render_markdown(param.get("description")), schema_view(param.get("schema")))

    def contents(self, content: Any) -> list[Content]:
        out = []
        for media_type, media in (content or {}).items():
            examples = [(name, yaml.safe_dump(self.resolve(ex).get("value"), allow_unicode=True, sort_keys=False))
                        for name, ex in (media.get("examples") or {}).items()]
            out.append(Content(media_type, schema_view(media.get("schema")), examples))
        return out

    def security(self, operation: dict[str, Any]) -> list[str]:
        requirements = operation.get("security", self.spec.get("security", []))
        names = [" + ".join(req) or "none" for req in requirements if isinstance(req, dict)]
        return names

    def operation(self, method: str, path: str, item: dict[str, Any], operation: dict[str, Any]) -> Operation:
        shared = [self.resolve(p) for p in item.get("parameters", [])]
        own = [self.resolve(p) for p in operation.get("parameters", [])]
        own_keys = {(p.get("name"), p.get("in")) for p in own}
        parameters = [self.parameter(p) for p in shared if (p.get("name"), p.get("in")) not in own_keys]
        parameters += [self.parameter(p) for p in own]
        body = self.resolve(operation.get("requestBody")) or {}
        responses = []
        for status, raw in (operation.get("responses") or {}).items():
            response = self.resolve(raw)
            headers = [Parameter(name, "header", bool(self.resolve(h).get("required")),
                                 render_markdown(self.resolve(h).get("description")),
                                 schema_view(self.resolve(h).get("schema")))
                       for name, h in (response.get("headers") or {}).items()]
            responses.append(ResponseView(str(status), render_markdown(response.get("description")), headers,
                                          self.contents(response.get("content"))))
        return Operation(method.upper(), path, str(operation.get("operationId", "")),
                         str(operation.get("summary", "")), render_markdown(operation.get("description")),
                         list(operation.get("tags", [])), parameters, self.contents(body.get("content")),
                         bool(body.get("required")), responses, self.security(operation))

    def operations(self, paths: dict[str, Any]) -> list[Operation]:
        return [self.operation(method, path, item, op)
                for path, item in (paths or {}).items()
                for method, op in item.items() if method in HTTP_METHODS and isinstance(op, dict)]


def build(spec: dict[str, Any]) -> Docs:
    reader = _Spec(spec)
    info = spec.get("info", {})
    operations = reader.operations(spec.get("paths", {}))
    tags = [TagView(t["name"], render_markdown(t.get("description")), []) for t in spec.get("tags", [])]
    by_name = {t.name: t for t in tags}
    for op in operations:
        for tag in op.tags or ["other"]:
            if tag not in by_name:
                by_name[tag] = TagView(tag, Markup(""), [])
                tags.append(by_name[tag])
            by_name[tag].operations.append(op)
    components = spec.get("components", {})
    schemes = [SecurityScheme(name, " ".join(str(s.get(k)) for k in ("type", "scheme", "in", "name") if s.get(k)),
                              render_markdown(s.get("description")))
               for name, s in (components.get("securitySchemes") or {}).items()]
    return Docs(title=str(info.get("title", "API")), version=str(info.get("version", "")),
                summary=str(info.get("summary", "")), description=render_markdown(info.get("description")),
                servers=[(str(s.get("url", "")), str(s.get("description", ""))) for s in spec.get("servers", [])],
                tags=[t for t in tags if t.operations],
                webhooks=reader.operations(spec.get("webhooks", {})),
                schemas=[(name, schema_view(s)) for name, s in (components.get("schemas") or {}).items()],
                security_schemes=schemes)


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> Docs:
    return build(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def load(path: Path) -> Docs:
    """The docs of the spec at `path`, parsed once per version of the file."""
    return _load(str(path), path.stat().st_mtime_ns)
