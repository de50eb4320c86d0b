"""Typed errors with human messages; the CLI and UI turn them into one line."""


class PolicyQAError(Exception):
    """Base class: the message is meant for the user, as is."""

    exit_code = 1


class UsageError(PolicyQAError):
    """Bad input from the user: a path, a URL, a setting, a question."""

    exit_code = 2


class DocumentError(PolicyQAError):
    """One document could not be read or parsed; the batch goes on without it."""

    exit_code = 2

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(PolicyQAError):
    """The store folder or the Chroma server is missing, broken or unreachable."""


class DamagedStoreError(StoreError):
    """The store's catalog or vectors disagree, are empty or unreadable; the message names the repair.

    Never answered around: a store that answers from half of itself hides the damage."""


class EmbedderMismatchError(StoreError):
    """The store was built with another embedding model than the one configured."""

    exit_code = 2


class EmbedderUnavailableError(PolicyQAError):
    """The configured embedding model cannot run on this machine."""
