"""Turning bytes into text: plain text, HTML and PDF, each with its own failure reasons."""


class ExtractionError(Exception):
    """A source could not be turned into text; the message says why, for the run summary."""
