"""graphcal: a contract and conformance suite for Microsoft Graph calendar behaviour."""

__version__ = "0.1.0"
