"""The errors a user can cause. Each carries one message that says what to do.

The CLI and the pytest plugin print ``str(error)`` and exit non-zero; they never show a
traceback for a GraphcalError.
"""

from __future__ import annotations


class GraphcalError(Exception):
    """A mistake the user can fix (bad config, unknown target, missing cassette...)."""


class ConfigError(GraphcalError):
    """A configuration file or option is missing or wrong."""


class TargetError(GraphcalError):
    """A target cannot be resolved or reached."""
