"""Errors the user caused: each carries a one-line message; `cli.py` maps them to exit 2."""


class AnalyzerError(Exception):
    """Base of every error shown to the user as one line and exit code 2."""


class InputError(AnalyzerError):
    """The input cannot be read: missing, a directory, unreadable."""


class RuleError(AnalyzerError):
    """A rule file is broken: the message names the file and the field."""


class DataError(AnalyzerError):
    """The dataset directory cannot be used by the probe."""
