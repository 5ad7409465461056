"""Errors a job raises on purpose. The API maps their class names to problem types."""


class DocumentError(ValueError):
    """The document itself cannot be annotated; retrying would fail the same way."""
