"""marshmallow schemas for request bodies; they mirror openapi.yaml (AnnotationRequest, BatchRequest)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

TASKS = ("entities", "sentiment", "events", "syntax")
DEFAULT_TASKS = ["entities", "sentiment", "events"]
MAX_TEXT = 200_000
MAX_BATCH = 1000
FORMATS = ("json", "conllu", "webannotation", "brat")


def _iso8601(value: str) -> None:
    try:
        if "T" in value or " " in value:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        else:
            date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError("Not a valid ISO 8601 date or date-time.") from exc




def _task_list(**kwargs: Any) -> fields.List:
    return fields.List(fields.String(validate=validate.OneOf(TASKS)), validate=validate.Length(min=1), **kwargs)


class _Submission(Schema):
    """What an annotation and a batch share: the task list and the webhook."""

    class Meta:
        unknown = RAISE

    callback_url = fields.Url(schemes={"http", "https"}, require_tld=False, validate=validate.Length(max=2048),
                              allow_none=True)

    @validates("tasks")
    def _unique(self, value: list[str], **_: Any) -> None:
        # On a batch, a repeated task would otherwise reject every document one by one.
        if len(set(value)) != len(value):
            raise ValidationError("Tasks must not repeat.")


class AnnotationRequest(_Submission):
    text = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT))
    id = fields.String(validate=validate.Length(max=256), allow_none=True)  # "" = no id, as openapi.yaml allows
    title = fields.String(validate=validate.Length(max=1000), allow_none=True)
    url = fields.Url(validate=validate.Length(max=2048), allow_none=True)
    published_at = fields.String(validate=_iso8601, allow_none=True)
    language = fields.String(validate=validate.Length(min=1, max=35), load_default="id")  # BCP 47: up to 35
    tasks = _task_list(load_default=lambda: list(DEFAULT_TASKS))


class BatchRequest(_Submission):
    # Any item, null included: each is validated on its own in the view and rejected alone if invalid.
    documents = fields.List(fields.Raw(allow_none=True), required=True,
                            validate=validate.Length(min=1, max=MAX_BATCH))
    tasks = _task_list()


class OffsetsQuery(Schema):
    offsets = fields.String(validate=validate.OneOf(("codepoint", "utf16")), load_default="codepoint")


class JobQuery(OffsetsQuery):
    format = fields.String(validate=validate.OneOf(FORMATS), load_default="json")


class AnnotationQuery(OffsetsQuery):
    wait = fields.Float(validate=validate.Range(min=0, max=30), load_default=0.0)
    include_boilerplate = fields.Boolean(load_default=False)


class BatchQuery(Schema):
    include_boilerplate = fields.Boolean(load_default=False)


class PageQuery(Schema):
    page = fields.Integer(validate=validate.Range(min=1), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=MAX_BATCH), load_default=100)


class ListQuery(Schema):
    limit = fields.Integer(validate=validate.Range(min=1, max=MAX_BATCH), load_default=100)
    before = fields.Float(allow_nan=False, validate=validate.Range(min=0), load_default=None)
