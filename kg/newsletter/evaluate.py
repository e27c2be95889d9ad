"""Score extracted issue records against the hand annotations in ``../shared/gold``.

The rules are those of the gold READMEs: items are paired by their number (printed, or the
ordinal); ``kind`` and ``date`` score as accuracy, the headline too (right when at least
:data:`HEADLINE_SIMILARITY` similar to the gold one; exact matches are counted besides); names, parties, penalties
and instrument titles as per-item set comparisons, micro-averaged into precision,
recall and F1; the attributes of matched instruments as accuracy. A gold name
written ``?Name`` and a gold penalty with ``claimed: true`` are optional: finding
them is not rewarded, missing them is not penalised. Every false positive, false
negative and wrong value is kept as a :class:`Miss`, so a report can show why a
score is what it is.

Whether two names denote the same entity is the caller's ``same(kind, predicted,
gold)``; the reference backbone knows the aliases and abbreviations. Without one,
names are equal when their normalised text is (:func:`default_same`).

Example:
    >>> item = ItemRecord(n=1, headline="H", kind="policy", laws=["Civil Code"])
    >>> gold = IssueRecord(newsletter="x.txt", items=[item])
    >>> scores = score_issue(gold, gold)
    >>> scores.fields["laws"].f1, scores.items_found
    (1.0, 1)

"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, computed_field

from kg.newsletter.records import InstrumentRecord, IssueRecord, ItemRecord, PenaltyRecord, load_issue_record

#: ``same(kind, predicted, gold)``: do the two names denote the same entity?
Same = Callable[[str, str, str], bool]

#: Set fields of an item and the entity kind ``same`` is asked about.
NAME_FIELDS: dict[str, str] = {"authorities": "authority", "courts": "court", "laws": "law", "parties": "party"}
#: Attributes of a matched instrument, scored as accuracy.
INSTRUMENT_ATTRIBUTES = ("status", "jurisdiction", "effective", "issuers", "implements")
#: Every field a :class:`Scores` reports, in the order the table prints them.
FIELDS: tuple[str, ...] = (
    "items",
    "headline",
    "kind",
    "date",
    *NAME_FIELDS,
    "penalties",
    "instruments",
    *(f"instruments.{name}" for name in INSTRUMENT_ATTRIBUTES),
)
_ACCURACY_FIELDS = frozenset({"headline", "kind", "date", *(f"instruments.{n}" for n in INSTRUMENT_ATTRIBUTES)})

_TYPOGRAPHY = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "＇": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "＂": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        "－": "-",
    }
)
_SPACE = re.compile(r"\s+")
#: A headline is right when this similar (rapidfuzz's normalised Indel ratio) to the gold one.
HEADLINE_SIMILARITY = 0.95
_LEADING_THE = re.compile(r"^the\s+")


def normalize_text(text: str) -> str:
    """Text with typographic quotes and dashes made plain and runs of whitespace made one space.

    >>> print(normalize_text("CAC’s  “Qinglang – 2022”  Campaign "))
    CAC's "Qinglang - 2022" Campaign
    """
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHY)).strip()


def headline_similarity(predicted: str, gold: str) -> float:
    """How alike two headlines are, 0 to 1, after :func:`normalize_text` and casefolding.

    >>> headline_similarity("CAC Fines App", "CAC fines app")
    1.0
    """
    from rapidfuzz import fuzz

    return float(fuzz.ratio(normalize_text(predicted).casefold(), normalize_text(gold).casefold())) / 100


def normalize_name(name: str) -> str:
    """The default comparison key of a name: :func:`normalize_text`, casefolded, without a leading "the"."""
    return _LEADING_THE.sub("", normalize_text(name).casefold())


def default_same(kind: str, predicted: str, gold: str) -> bool:
    """Whether two names are equal after :func:`normalize_name` (``kind`` is not needed for that)."""
    return normalize_name(predicted) == normalize_name(gold)


# ---------------------------------------------------------------------------
# Results


class FieldScore(BaseModel):
    """Counts for one field: tp/fp/fn for a set field, correct/total for an accuracy field.

    A ratio with nothing to count is 1.0 (nothing predicted and nothing expected is
    not an error), so a record scored against itself is 1.0 everywhere.
    """

    field: str
    measure: Literal["prf", "accuracy"] = "prf"
    tp: int = 0
    fp: int = 0
    fn: int = 0
    correct: int = 0
    total: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float | None:
        """Share of predictions that are right, tp / (tp + fp); None for an accuracy field."""
        if self.measure != "prf":
            return None
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float | None:
        """Share of gold values found, tp / (tp + fn); None for an accuracy field."""
        if self.measure != "prf":
            return None
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall; None for an accuracy field."""
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def accuracy(self) -> float | None:
        """Share of values right, correct / total; None for a set field."""
        if self.measure != "accuracy":
            return None
        return self.correct / self.total if self.total else 1.0

    def __add__(self, other: FieldScore) -> FieldScore:
        if (self.field, self.measure) != (other.field, other.measure):
            raise ValueError(f"cannot add scores of {self.field!r} and {other.field!r}")
        return FieldScore(
            field=self.field,
            measure=self.measure,
            tp=self.tp + other.tp,
            fp=self.fp + other.fp,
            fn=self.fn + other.fn,
            correct=self.correct + other.correct,
            total=self.total + other.total,
        )


class Miss(BaseModel):
    """One false negative (``got`` is None), false positive (``expected`` is None) or wrong value."""

    newsletter: str
    n: int
    field: str
    expected: str | None = None
    got: str | None = None
    context: str | None = None  # the gold instrument title, for misses on an instrument's attributes


def _empty_fields() -> dict[str, FieldScore]:
    return {name: FieldScore(field=name, measure="accuracy" if name in _ACCURACY_FIELDS else "prf") for name in FIELDS}


class Scores(BaseModel):
    """The scores of one issue, or of many summed (micro-averaged), and every miss behind them."""

    fields: dict[str, FieldScore]
    misses: list[Miss]
    items_found: int = 0
    items_gold: int = 0
    headlines_exact: int = 0

    def __add__(self, other: Scores) -> Scores:
        fields = dict(self.fields)
        for name, score in other.fields.items():
            fields[name] = fields[name] + score if name in fields else score
        return Scores(
            fields=fields,
            misses=[*self.misses, *other.misses],
            items_found=self.items_found + other.items_found,
            items_gold=self.items_gold + other.items_gold,
            headlines_exact=self.headlines_exact + other.headlines_exact,
        )

    def table(self) -> str:
        """An aligned text table: one row per field with P, R and F1 (or accuracy) and the counts."""
        header = ("field", "P", "R", "F1/acc", "tp/fp/fn or ok/total")
        rows = [header]
        for score in self.fields.values():
            if score.measure == "accuracy":
                rows.append((score.field, "-", "-", f"{score.accuracy:.3f}", f"{score.correct}/{score.total}"))
            else:
                rows.append(
                    (
                        score.field,
                        f"{score.precision:.3f}",
                        f"{score.recall:.3f}",
                        f"{score.f1:.3f}",
                        f"{score.tp}/{score.fp}/{score.fn}",
                    )
                )
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = []
        for row in rows:
            cells = [
                row[0].ljust(widths[0]),
                *(cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)),
            ]
            lines.append("  ".join(cells).rstrip())
        lines.insert(1, "  ".join("-" * width for width in widths))
        lines.append("")
        found, exact, gold = self.items_found, self.headlines_exact, self.items_gold
        lines.append(f"items found {found}/{gold}, headlines exact {exact}/{gold}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """The scores as JSON-ready data, ratios included."""
        return self.model_dump(mode="json")


# ---------------------------------------------------------------------------
# Loading gold


_COMPANY_SUFFIX = re.compile(r"^(?:co|corp|inc|llc|ltd|limited|plc)\.?$", re.IGNORECASE)


def _rejoin(names: list[Any]) -> list[Any]:
    joined: list[Any] = []
    for name in names:
        if isinstance(name, str) and _COMPANY_SUFFIX.match(name.strip()) and joined and isinstance(joined[-1], str):
            joined[-1] = f"{joined[-1]}, {name.strip()}"
        else:
            joined.append(name)
    return joined


def _rejoin_company_suffixes(data: dict[str, Any]) -> None:
    """Mend names a YAML flow list split at the comma of "Co., Ltd.".

    ``parties: [Bank of East Asia (China) Co., Ltd.]`` is two names to YAML,
    ``Bank of East Asia (China) Co.`` and ``Ltd.``; no body is called "Ltd.", so
    a bare company suffix is put back on the name before it.
    """
    for item in data.get("items") or []:
        if not isinstance(item, dict):
            continue
        for key in NAME_FIELDS:
            if isinstance(item.get(key), list):
                item[key] = _rejoin(item[key])


def load_gold(path: Path) -> IssueRecord:
    """Read one gold annotation file into an :class:`IssueRecord`.

    Raises :class:`InputError`, naming the file and the line, for unreadable or
    invalid YAML, a value the record models reject, or two items with one ``n``.
    A name list split by YAML at the comma of "Co., Ltd." is mended.
    """
    return load_issue_record(Path(path), mend=_rejoin_company_suffixes)


# ---------------------------------------------------------------------------
# Matching

T = TypeVar("T", bound=Hashable)


@dataclass
class _SetResult:
    tp: int
    fp: int
    fn: int
    pairs: list[tuple[int, int]]  # (predicted index, gold index) of every match, optional golds included
    false_positives: list[int]  # predicted indices
    false_negatives: list[int]  # gold indices


def _match(
    predicted: Sequence[T],
    gold: Sequence[T],
    optional: Sequence[bool],
    equal: Callable[[T, T], bool],
) -> _SetResult:
    """A maximum one-to-one matching of predicted to gold values, required gold values first.

    A plain greedy pass could pair a predicted name with the wrong one of two
    aliases and lose a match another order would find (``same`` need not be
    transitive), so this looks for augmenting paths (Kuhn's algorithm). Required
    gold values are matched first and an augmenting path never unmatches a gold
    value, so optional ones only soak up predictions that would otherwise be
    false positives; they never take a true positive away.
    """
    candidates = [[p for p, value in enumerate(predicted) if equal(value, g)] for g in gold]
    owner: dict[int, int] = {}  # predicted index -> gold index

    def augment(g: int, visited: set[int]) -> bool:
        for p in candidates[g]:
            if p in visited:
                continue
            visited.add(p)
            if p not in owner or augment(owner[p], visited):
                owner[p] = g
                return True
        return False

    order = [g for g in range(len(gold)) if not optional[g]] + [g for g in range(len(gold)) if optional[g]]
    for g in order:
        augment(g, set())
    matched_gold = set(owner.values())
    false_negatives = [g for g in range(len(gold)) if not optional[g] and g not in matched_gold]
    false_positives = [p for p in range(len(predicted)) if p not in owner]
    tp = sum(1 for g in matched_gold if not optional[g])
    pairs = sorted(owner.items())
    return _SetResult(tp, len(false_positives), len(false_negatives), pairs, false_positives, false_negatives)


def _split_names(names: Iterable[str]) -> tuple[list[str], list[bool]]:
    """Names without their '?' marks (deduplicated, since these are sets) and which were marked optional."""
    kept: dict[str, tuple[str, bool]] = {}
    for raw in names:
        text = raw.strip()
        is_optional = text.startswith("?")
        name = text[1:].strip() if is_optional else text
        key = normalize_name(name)
        if key in kept:
            # One required spelling of a name outweighs an optional one.
            kept[key] = (kept[key][0], kept[key][1] and is_optional)
        else:
            kept[key] = (name, is_optional)
    return [name for name, _ in kept.values()], [flag for _, flag in kept.values()]


def _match_names(
    kind: str, predicted: Iterable[str], gold: Iterable[str], same: Same
) -> tuple[_SetResult, list[str], list[str]]:
    pred_names, _ = _split_names(predicted)  # a '?' an extractor writes carries no meaning
    gold_names, optional = _split_names(gold)
    result = _match(pred_names, gold_names, optional, lambda p, g: same(kind, p, g))
    return result, pred_names, gold_names


def _penalty_key(penalty: PenaltyRecord) -> tuple[str, Any, str | None]:
    # Decimal('5') == Decimal('5.00') and they hash alike, so amounts compare as numbers.
    return (penalty.type, penalty.amount, penalty.unit)


def _penalty_text(penalty: PenaltyRecord) -> str:
    parts: list[str] = [penalty.type]
    if penalty.amount is not None:
        parts.append(format(penalty.amount.normalize(), "f"))
    if penalty.unit is not None:
        parts.append(penalty.unit)
    return " ".join(parts) + (" (claimed)" if penalty.claimed else "")


# ---------------------------------------------------------------------------
# Scoring


class _Tally:
    """Accumulates counts and misses for one issue."""

    def __init__(self, newsletter: str) -> None:
        self.newsletter = newsletter
        self.fields = _empty_fields()
        self.misses: list[Miss] = []

    def miss(self, n: int, field: str, expected: str | None, got: str | None, context: str | None = None) -> None:
        self.misses.append(
            Miss(newsletter=self.newsletter, n=n, field=field, expected=expected, got=got, context=context)
        )

    def accuracy(
        self, n: int, field: str, ok: bool, expected: str | None, got: str | None, context: str | None = None
    ) -> None:
        score = self.fields[field]
        score.total += 1
        if ok:
            score.correct += 1
        else:
            self.miss(n, field, expected, got, context)

    def sets(self, n: int, field: str, result: _SetResult, predicted: Sequence[str], gold: Sequence[str]) -> None:
        score = self.fields[field]
        score.tp += result.tp
        score.fp += result.fp
        score.fn += result.fn
        for g in result.false_negatives:
            self.miss(n, field, gold[g], None)
        for p in result.false_positives:
            self.miss(n, field, None, predicted[p])


def _score_names(tally: _Tally, n: int, predicted: ItemRecord | None, gold: ItemRecord | None, same: Same) -> None:
    for field, kind in NAME_FIELDS.items():
        # Parties are annotated only where the gold says so: no key, no score.
        if field == "parties" and (gold is None or "parties" not in gold.model_fields_set):
            continue
        pred_values = getattr(predicted, field) if predicted is not None else []
        gold_values = getattr(gold, field) if gold is not None else []
        result, pred_names, gold_names = _match_names(kind, pred_values, gold_values, same)
        tally.sets(n, field, result, pred_names, gold_names)


def _score_penalties(tally: _Tally, n: int, predicted: list[PenaltyRecord], gold: list[PenaltyRecord]) -> None:
    # Penalties are sets too: the same penalty listed twice counts once.
    pred = list({_penalty_key(p): p for p in predicted}.values())
    gold_unique: dict[tuple[str, Any, str | None], PenaltyRecord] = {}
    for penalty in gold:
        key = _penalty_key(penalty)
        if key not in gold_unique or not penalty.claimed:
            gold_unique[key] = penalty
    gold_list = list(gold_unique.values())
    result = _match(
        [_penalty_key(p) for p in pred],
        [_penalty_key(p) for p in gold_list],
        [p.claimed for p in gold_list],
        lambda a, b: a == b,
    )
    tally.sets(n, "penalties", result, [_penalty_text(p) for p in pred], [_penalty_text(p) for p in gold_list])


def _names_agree(kind: str, predicted: list[str], gold: list[str], same: Same) -> bool:
    result, _, _ = _match_names(kind, predicted, gold, same)
    return result.fp == 0 and result.fn == 0


def _joined(names: list[str]) -> str:
    return "; ".join(names)


def _score_instruments(
    tally: _Tally, n: int, predicted: list[InstrumentRecord], gold: list[InstrumentRecord], same: Same
) -> None:
    pred_titles = [i.title.strip().removeprefix("?").strip() for i in predicted]
    gold_titles = [i.title.strip().removeprefix("?").strip() for i in gold]
    optional = [i.title.strip().startswith("?") for i in gold]
    result = _match(pred_titles, gold_titles, optional, lambda p, g: same("instrument", p, g))
    tally.sets(n, "instruments", result, pred_titles, gold_titles)
    for p, g in result.pairs:
        if optional[g]:
            continue  # an optional instrument is not scored, its attributes neither
        got, want, title = predicted[p], gold[g], gold_titles[g]
        for attribute in ("status", "effective"):
            a, b = getattr(got, attribute), getattr(want, attribute)
            tally.accuracy(n, f"instruments.{attribute}", a == b, b, a, title)
        a, b = got.jurisdiction, want.jurisdiction
        # Jurisdictions are not among the kinds `same` knows, so they compare as normalised text.
        ok = (a is None and b is None) or (a is not None and b is not None and normalize_name(a) == normalize_name(b))
        tally.accuracy(n, "instruments.jurisdiction", ok, b, a, title)
        ok = _names_agree("authority", got.issuers, want.issuers, same)
        tally.accuracy(n, "instruments.issuers", ok, _joined(want.issuers), _joined(got.issuers), title)
        ok = _names_agree("law", got.implements, want.implements, same)
        tally.accuracy(n, "instruments.implements", ok, _joined(want.implements), _joined(got.implements), title)


def _kind_text(item: ItemRecord) -> str | None:
    if item.kind_alt is None:
        return item.kind
    return f"{item.kind} (or {item.kind_alt})"


def score_issue(predicted: IssueRecord, gold: IssueRecord, same: Same | None = None) -> Scores:
    """Score one issue's extracted records against its gold annotation.

    Items pair by ``n``. A gold item with no predicted partner counts as wrong
    for every accuracy field and as false negatives for its names; a predicted
    item whose ``n`` the gold lacks counts as false positives. ``same(kind,
    predicted, gold)`` decides whether two names match (:func:`default_same`
    when None). Misses are reported under the gold issue's newsletter name.

    >>> gold = IssueRecord(newsletter="x.txt", items=[
    ...     ItemRecord(n=1, headline="CAC Fines App", kind="enforcement", kind_alt="policy", date="2022-01",
    ...                authorities=["Cyberspace Administration of China", "?State Council"])])
    >>> predicted = IssueRecord(newsletter="x.txt", items=[
    ...     ItemRecord(n=1, headline="CAC fines app", kind="policy", date="2022-01-05",
    ...                authorities=["CAC", "State Council"])])
    >>> aliases = {("CAC", "Cyberspace Administration of China")}
    >>> scores = score_issue(predicted, gold, same=lambda kind, a, b: a == b or (a, b) in aliases)
    >>> scores.fields["kind"].accuracy, scores.fields["date"].accuracy, scores.fields["authorities"].f1
    (1.0, 0.0, 1.0)
    >>> [(m.field, m.expected, m.got) for m in scores.misses]
    [('date', '2022-01', '2022-01-05')]
    """
    same = same or default_same
    tally = _Tally(gold.newsletter)
    gold_items: dict[int, ItemRecord] = {}
    for item in gold.items:
        if item.n in gold_items:
            raise ValueError(f"{gold.newsletter}: two gold items have n = {item.n}")
        gold_items[item.n] = item
    pred_items: dict[int, ItemRecord] = {}
    extra: list[ItemRecord] = []
    for item in predicted.items:
        # Only the first item with a number pairs; a second one is an item the gold does not have.
        if item.n in gold_items and item.n not in pred_items:
            pred_items[item.n] = item
        else:
            extra.append(item)

    items = tally.fields["items"]
    headlines_exact = 0
    for n, want in gold_items.items():
        got = pred_items.get(n)
        if got is None:
            items.fn += 1
            tally.miss(n, "items", want.headline, None)
        else:
            items.tp += 1
        exact = got is not None and normalize_text(got.headline) == normalize_text(want.headline)
        headlines_exact += exact
        similar = exact or (got is not None and headline_similarity(got.headline, want.headline) >= HEADLINE_SIMILARITY)
        tally.accuracy(n, "headline", similar, want.headline, got.headline if got else None)
        kind = got.kind if got else None
        ok = got is not None and kind is not None and kind in (want.kind, want.kind_alt)
        ok = ok or (got is not None and want.kind is None and kind is None)
        tally.accuracy(n, "kind", ok, _kind_text(want), kind)
        date = got.date if got else None
        tally.accuracy(n, "date", got is not None and date == want.date, want.date, date)
        _score_names(tally, n, got, want, same)
        _score_penalties(tally, n, got.penalties if got else [], want.penalties)
        _score_instruments(tally, n, got.instruments if got else [], want.instruments, same)
    if gold.partial and extra and extra[-1] is predicted.items[-1]:
        extra = extra[:-1]  # the item the copy cuts off: not annotated, neither rewarded nor penalised
    for got in extra:
        items.fp += 1
        tally.miss(got.n, "items", None, got.headline)
        _score_names(tally, got.n, got, None, same)
        _score_penalties(tally, got.n, got.penalties, [])
        _score_instruments(tally, got.n, got.instruments, [], same)

    return Scores(
        fields=tally.fields,
        misses=tally.misses,
        items_found=items.tp,
        items_gold=len(gold_items),
        headlines_exact=headlines_exact,
    )


def score_all(pairs: Iterable[tuple[IssueRecord, IssueRecord]], same: Same | None = None) -> Scores:
    """Score many ``(predicted, gold)`` issues and sum the counts (micro-averaging over every item)."""
    total = Scores(fields=_empty_fields(), misses=[])
    for predicted, gold in pairs:
        total = total + score_issue(predicted, gold, same)
    return total
