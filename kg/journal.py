"""The journal of a store version: the issues written into it since ``kg build``, so a rebuild keeps them.

``kg build`` makes the store from ``data/``; what ``kg ingest`` and ``kg withdraw`` did since lives
only in the store. Each of them therefore leaves an entry in the new version's ``journal/``
folder, one file per issue (``<issue-id>.json``): the issue's records as ingested (the record
format of ``data/events/``, so a rebuild maps them exactly as the ingest did, linked against the
backbone of the day), or a mark that it was withdrawn. ``kg build`` re-applies every entry of the
current version on top of ``data/`` (``--drop-ingested`` forgets them), and carries them into the
version it makes.

Entries are written once and never changed; a new version shares its predecessor's entries by
hard links, so carrying the journal costs one link per issue.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from kg.errors import InputError
from kg.newsletter.records import IssueRecord

JOURNAL_FOLDER = "journal"


class JournalEntry(BaseModel):
    """One issue ingested (with its records) or withdrawn (without) since the last build."""

    model_config = ConfigDict(extra="forbid")

    issue_id: str
    name: str
    """The issue's file name (its ``newsletter``)."""
    action: str
    """``ingest`` or ``withdraw``."""
    at: str
    source: str | None = None
    """The newsletter file it was read from, as given to ``kg ingest``."""
    text: str | None = None
    """SHA-256 of its normalised text (:func:`kg.identity.text_digest`)."""
    record: IssueRecord | None = None

    @property
    def withdrawn(self) -> bool:
        """True for the mark of a withdrawn issue."""
        return self.action == "withdraw"


def ingested(issue_id: str, record: IssueRecord, source: Path | str, text: str | None) -> JournalEntry:
    """The entry of an issue ingested from ``source``."""
    return JournalEntry(
        issue_id=issue_id,
        name=record.newsletter,
        action="ingest",
        at=_now(),
        source=str(source),
        text=text,
        record=record,
    )


def withdrawn(issue_id: str, name: str) -> JournalEntry:
    """The entry of a withdrawn issue: a rebuild leaves out its curated record too."""
    return JournalEntry(issue_id=issue_id, name=name, action="withdraw", at=_now())


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def entry_path(version: Path, issue_id: str) -> Path:
    """Where the entry of ``issue_id`` lives in ``version``."""
    return version / JOURNAL_FOLDER / f"{issue_id}.json"


def entry_paths(version: Path) -> list[Path]:
    """The entry files of ``version``, sorted by issue id."""
    folder = version / JOURNAL_FOLDER
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def read_entry(path: Path) -> JournalEntry:
    """One journal entry; a damaged one raises :class:`InputError` naming the file."""
    try:
        return JournalEntry.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise InputError(f"cannot read the journal entry: {exc.strerror or exc}", path) from exc
    except (ValueError, ValidationError) as exc:
        detail = str(exc).splitlines()[0]
        raise InputError(
            f"the journal entry is damaged ({detail}); rebuild with `kg build --drop-ingested` to leave it out", path
        ) from exc


def read_record(path: Path) -> IssueRecord:
    """The records of the ingested issue in the journal entry at ``path``."""
    entry = read_entry(path)
    if entry.record is None:
        raise InputError("the journal entry holds no records (a withdrawal)", path)
    return entry.record


def read_journal(version: Path | None) -> dict[str, JournalEntry]:
    """Every entry of ``version`` (none for no version), by issue id."""
    if version is None:
        return {}
    return {entry.issue_id: entry for entry in map(read_entry, entry_paths(version))}


def write_entry(version: Path, entry: JournalEntry) -> Path:
    """Add ``entry`` to the journal of ``version`` (a version being made), replacing one for the same issue."""
    path = entry_path(version, entry.issue_id)
    path.parent.mkdir(exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(entry.model_dump_json(exclude_none=True, indent=1) + "\n", encoding="utf-8")
    partial.replace(path)
    return path


def carry(old: Path | None, new: Path, leave_out: Iterable[str] = ()) -> list[str]:
    """Share the journal entries of version ``old`` with version ``new``, but those of ``leave_out``.

    Returns the issue ids carried. Entries are hard-linked (copied where links are not possible).
    """
    skipped = set(leave_out)
    carried = []
    for path in entry_paths(old) if old is not None else []:
        issue_id = path.stem
        if issue_id in skipped:
            continue
        target = entry_path(new, issue_id)
        target.parent.mkdir(exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
        carried.append(issue_id)
    return carried
