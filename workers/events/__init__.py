"""PLOVER political event tagging for parsed Indonesian news (see docs/event-annotation-guide.md)."""

from workers.events.tagger import tag_events

__all__ = ["tag_events"]
