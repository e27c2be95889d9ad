"""The project's exceptions: one base, a few kinds, each saying what and where.

Only the command line maps them to exit codes (see ``kg.cli``).
"""

from __future__ import annotations

from pathlib import Path


class KGError(Exception):
    """Base of every error the project raises on purpose."""


class InputError(KGError):
    """Input that cannot be used: a malformed file, an unknown id, a bad parameter.

    ``path`` and ``line`` (1-based) say where, when known.
    """

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.line = line
        self.detail = message
        where = ""
        if self.path is not None:
            where = f"{self.path}:{line}: " if line is not None else f"{self.path}: "
        super().__init__(where + message)

    def __reduce__(self) -> tuple[type[InputError], tuple[str, Path | None, int | None]]:
        # Raised in a worker process, it crosses back pickled: keep its path and line.
        return (type(self), (self.detail, self.path, self.line))


class StoreError(KGError):
    """The store cannot be opened, read or replaced."""


class QueryError(KGError):
    """A SPARQL query is malformed or fails to run."""


class NotConforming(KGError):
    """Data failed validation; ``report`` says why. Nothing was written."""

    def __init__(self, report: object, what: str = "the data") -> None:
        self.report = report
        super().__init__(f"{what} does not conform to the shapes; nothing was written (use --force to write anyway)")
