"""An issue is its content, not its file name: recognising a stored issue under another name.

An issue's id (and every IRI in its graph) comes from its file name, so the same newsletter saved
as ``june.txt`` and as ``2023-06.txt`` would be stored twice, and every citation and fine in it
counted twice. Before an ingest writes, each new issue is compared with the issues already stored
(and with the others of the same ingest):

* by a digest of its normalised text (:func:`text_digest`: the items' headlines, paragraphs and
  sources, with case, width and spacing normalised, so re-wrapping or re-encoding a file keeps it);
* by its items: an item of the new issue is *shared* with a stored issue when the stored one has
  an item with the same source URL or the same headline.

A new issue with the same text as a stored one, or sharing more than half its items with one, *is*
that issue (:func:`identify`). If it is at least as long, it replaces it, under the stored issue's
name and IRIs; if it is shorter (a truncated copy, under any name), the ingest refuses unless
``--replace``, so twenty items never silently replace twenty-three.

Example:
    >>> text_digest([("A  Headline", "Some text.", None)]) == text_digest([("a headline", "Some  text.", None)])
    True

"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF

from kg.errors import InputError
from kg.manifest import IssueEntry
from kg.namespaces import DLK, SCHEMA


def normalise(text: str) -> str:
    """Text with Unicode compatibility forms folded, case folded and runs of whitespace made one space."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def text_digest(items: Iterable[tuple[str, str, str | None]]) -> str:
    """SHA-256 of an issue's normalised text: its items' (headline, paragraph, source URL), in order."""
    digest = hashlib.sha256()
    for headline, paragraph, source in items:
        digest.update(f"{normalise(headline)}\t{normalise(paragraph)}\t{(source or '').strip()}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class ItemKey:
    """What identifies one news item across copies of its issue: its headline and its source URL."""

    headline: str | None
    source: str | None


def item_keys(graph: Graph) -> list[ItemKey]:
    """The keys of the news items in one issue's graph (as mapped, so URLs are normalised as stored)."""
    keys = []
    for item in sorted(graph.subjects(RDF.type, DLK.NewsItem), key=str):
        headline = graph.value(item, SCHEMA.headline)
        source = graph.value(item, DCTERMS.source)
        keys.append(
            ItemKey(str(headline) if headline is not None else None, str(source) if source is not None else None)
        )
    return keys


# Only news items carry a source IRI or a headline, so no type pattern: with one, the engine would
# scan every item of every issue instead of looking the value up.
_BY_SOURCE = f"SELECT DISTINCT ?g ?key WHERE {{ GRAPH ?g {{ ?item <{DCTERMS.source}> ?key }} }}"
_BY_HEADLINE = f"SELECT DISTINCT ?g ?key WHERE {{ GRAPH ?g {{ ?item <{SCHEMA.headline}> ?key }} }}"


def shared_items(store: ox.Store, keys: list[ItemKey]) -> dict[str, int]:
    """For each stored graph, how many of ``keys`` it has an item for (same source URL or same headline).

    Each key is looked up with the store's indexes, its value bound, never written into the query.
    """
    counts: dict[str, int] = {}
    for key in keys:
        graphs: set[str] = set()
        if key.source:
            graphs |= _graphs(store, _BY_SOURCE, ox.NamedNode(key.source))
        if key.headline:
            graphs |= _graphs(store, _BY_HEADLINE, ox.Literal(key.headline, language="en"))
        for graph in graphs:
            counts[graph] = counts.get(graph, 0) + 1
    return counts


def _graphs(store: ox.Store, query: str, value: ox.NamedNode | ox.Literal) -> set[str]:
    solutions = store.query(query, substitutions={ox.Variable("key"): value})
    if not isinstance(solutions, ox.QuerySolutions):  # a SELECT gives solutions; never reached
        return set()
    return {row["g"].value for row in solutions if isinstance(row["g"], ox.NamedNode)}


@dataclass
class NewIssue:
    """One issue about to be ingested, as :func:`identify` sees it."""

    issue_id: str
    name: str
    graph: str
    text: str
    keys: list[ItemKey]
    shared: dict[str, int] = field(default_factory=dict)
    """Items shared with each stored graph (:func:`shared_items`)."""


@dataclass
class Verdict:
    """What to do with a new issue: write it as ``issue_id`` (a stored issue's, when it is one), and why."""

    issue_id: str
    name: str
    note: str | None = None


def _same(new: NewIssue, entry: IssueEntry, shared: int) -> bool:
    return (entry.text is not None and entry.text == new.text) or 2 * shared > len(new.keys)


def same_issue(new: NewIssue, other: NewIssue) -> bool:
    """True when two new issues are one (the same text, or more than half of ``new``'s items shared)."""
    sources = {k.source for k in other.keys if k.source}
    headlines = {k.headline for k in other.keys if k.headline}
    shared = sum(1 for k in new.keys if k.source in sources or k.headline in headlines)
    return new.text == other.text or 2 * shared > len(new.keys)


def identify(new: NewIssue, stored: Mapping[str, IssueEntry], replace: bool = False, source: str = "") -> Verdict:
    """Decide whether ``new`` is one of the ``stored`` issues (by issue id), and whether it may replace it.

    Raises :class:`InputError` (naming ``source``) for a shorter copy of a stored issue without
    ``replace``, and for an issue that is a copy of another stored issue while its own name is
    stored too.
    """
    own = stored.get(new.issue_id)
    others = [
        (issue_id, entry, new.shared.get(entry.graph, 0))
        for issue_id, entry in sorted(stored.items())
        if issue_id != new.issue_id
    ]
    copies = [(issue_id, entry, shared) for issue_id, entry, shared in others if _same(new, entry, shared)]
    if copies:
        issue_id, entry, shared = max(copies, key=lambda c: (c[1].text == new.text, c[2], c[0]))
        if own is not None:
            raise InputError(
                f"this is stored issue {issue_id} ({_likeness(new, entry, shared)}), and an issue named "
                f"{own.name} is stored too; nothing was written (kg withdraw one of them first)",
                source,
            )
        how = _likeness(new, entry, shared)
        _refuse_if_shorter(new, entry, shared, replace, source, f"stored issue {issue_id} ({entry.name})")
        return Verdict(
            issue_id,
            entry.name,
            f"{new.name} is stored issue {issue_id} ({entry.name}) under another name ({how}): replaced it, keeping its name and IRIs",
        )
    if own is not None:
        _refuse_if_shorter(new, own, new.shared.get(own.graph, 0), replace, source, f"stored issue {new.issue_id}")
    return Verdict(new.issue_id, new.name)


def _likeness(new: NewIssue, entry: IssueEntry, shared: int) -> str:
    if entry.text is not None and entry.text == new.text:
        return "the same text"
    return f"{shared} of its {len(new.keys)} items the same"


def _refuse_if_shorter(new: NewIssue, entry: IssueEntry, shared: int, replace: bool, source: str, what: str) -> None:
    if len(new.keys) < entry.items and not replace:
        raise InputError(
            f"has {len(new.keys)} items, {what} has {entry.items} ({shared} the same): a shorter copy? "
            "nothing was written (--replace replaces the stored issue with it)",
            source,
        )
