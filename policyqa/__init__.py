"""policyqa: offline-first Q&A over Danish public-policy texts."""

__version__ = "0.1.0"
