"""Clients of the annotation service: `AnnotatorClient` for Python, `annotator` on the command line.

Needs only the standard library and `requests`: no Stanza, no Flask (except `annotator local`).
"""

from client.api import AnnotatorClient
from client.transport import AnnotatorError, JobFailed, JobTimeout, RetryPolicy

__all__ = ["AnnotatorClient", "AnnotatorError", "JobFailed", "JobTimeout", "RetryPolicy"]
