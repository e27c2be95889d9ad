"""Extraction records: what one newsletter item says, in the gold annotation format.

Field names are those of ``../shared/gold`` (see its README), so an extracted
record and a hand annotation compare directly. Names are canonical English names
(``Cyberspace Administration of China``), never the abbreviations of the text.
Dates are ``YYYY-MM-DD``, or ``YYYY-MM`` when only the month is known.

Example:
    >>> PenaltyRecord(type="fine", amount="16740000", unit="CNY").amount
    Decimal('16740000')

"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from kg.errors import InputError
from kg.yamlio import line_at, load_yaml

Kind = Literal["legislation", "enforcement", "litigation", "policy"]
Status = Literal["planned", "draft", "adopted", "issued"]
PenaltyKind = Literal["fine", "confiscation", "detention", "imprisonment", "damages"]
PenaltyUnit = Literal["CNY", "USD", "day", "month", "year"]
YearBasis = Literal["printed", "issue date", "issue period", "other dates", "file name", "posting date", "source date"]
SectorName = Literal[
    "finance", "internet", "telecom", "healthcare", "transport", "automotive", "retail", "education", "public"
]

_PARTIAL_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def _partial_date(value: object) -> str | None:
    """Accept a date, or text of a day (``2022-04-20``) or a month (``2022-07``)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not _PARTIAL_DATE.match(text):
        raise ValueError(f"{text!r} is not YYYY-MM-DD or YYYY-MM")
    dt.date.fromisoformat(text if len(text) == 10 else text + "-01")
    return text


PartialDate = Annotated[str | None, BeforeValidator(_partial_date)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InstrumentRecord(_Record):
    """An instrument the item reports as planned, drafted, adopted or issued."""

    title: str = Field(description="Title without a '(Draft for Comments)' suffix; the stage is in `status`.")
    status: Status | None = Field(default=None, description="Stage reported by the item.")
    jurisdiction: str | None = Field(
        default=None, description="'China' for national instruments, else the province or city."
    )
    effective: PartialDate = Field(default=None, description="When the item says it takes effect.")
    issuers: list[str] = Field(default_factory=list, description="Canonical names of the issuing bodies.")
    implements: list[str] = Field(default_factory=list, description="Laws the instrument says it implements.")
    implements_article: str | None = Field(default=None, description="e.g. 'Cybersecurity Law Article 37'.")


class PenaltyRecord(_Record):
    """A penalty imposed or an award made (or claimed, with ``claimed``)."""

    type: PenaltyKind
    amount: Decimal | None = Field(default=None, gt=0, description="Normalised: 'RMB 16.74 million' is 16740000.")
    unit: PenaltyUnit | None = None
    claimed: bool = Field(default=False, description="Claimed by a party, not imposed or awarded.")


class ItemRecord(_Record):
    """Everything read out of one news item."""

    n: int = Field(description="The item's footnote number.")
    section: str | None = Field(default=None, description="Section heading, as printed, if any.")
    headline: str
    source: str | None = Field(default=None, description="Source URL from the footnote list, if printed.")
    kind: Kind | None = None
    kind_alt: Kind | None = Field(default=None, description="A second acceptable kind (gold only).")
    date: PartialDate = Field(default=None, description="Date of the event reported.")
    date_year: YearBasis | None = Field(
        default=None,
        description="Where the year of `date` comes from: printed with it, the issue's own date, the text's other "
        "dates, the file name, the entry's posting date or the date in its source link (not in gold; not scored).",
    )
    month_day: str | None = Field(
        default=None,
        pattern=r"^--\d{2}-\d{2}$",
        description="A date printed without a year when nothing gave one (--MM-DD): kept, not guessed; `date` "
        "is then unset (not in gold; not scored).",
    )
    authorities: list[str] = Field(default_factory=list)
    courts: list[str] = Field(default_factory=list)
    laws: list[str] = Field(default_factory=list, description="Statutes explicitly named.")
    articles: list[str] = Field(
        default_factory=list,
        description="Articles of statutes cited, as '<law> Article <n>' (not in gold; not scored).",
    )
    instruments: list[InstrumentRecord] = Field(default_factory=list)
    mentions: list[str] = Field(default_factory=list, description="Instruments named in passing (not scored).")
    parties: list[str] = Field(default_factory=list)
    penalties: list[PenaltyRecord] = Field(default_factory=list)
    sector: SectorName | None = Field(
        default=None, description="Sector of the business a case is about (not in gold; not scored)."
    )


class IssueRecord(_Record):
    """One newsletter issue's records."""

    newsletter: str = Field(description="File name of the issue, e.g. '000_8874ccff001c940d.txt'.")
    issue_date: dt.date | None = None
    partial: bool | None = Field(
        default=None, description="The copy stops inside its last item, which is not annotated (gold only)."
    )
    items: list[ItemRecord] = Field(default_factory=list)


def load_issue_record(path: Path, mend: Callable[[dict[str, Any]], None] | None = None) -> IssueRecord:
    """Read a YAML file in the record format (gold annotations, curated events).

    Raises :class:`kg.errors.InputError` naming the file and the line for invalid
    YAML, a value the models reject, or two items with one ``n``. ``mend`` may
    repair the raw data before validation.
    """
    data, root = load_yaml(path)
    if not isinstance(data, dict):
        line = root.start_mark.line + 1 if root is not None else None
        raise InputError("a record file must be a mapping with 'newsletter' and 'items'", path, line)
    if mend is not None:
        mend(data)
    try:
        record = IssueRecord.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "file"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise InputError(f"{where}: {first['msg']}{more}", path, line_at(root, tuple(first["loc"]))) from exc
    seen: set[int] = set()
    for position, item in enumerate(record.items):
        if item.n in seen:
            raise InputError(f"two items have n = {item.n}", path, line_at(root, ("items", position)))
        seen.add(item.n)
    return record


def record_json_schema() -> dict[str, object]:
    """The JSON Schema of an issue record, generated from the models."""
    return IssueRecord.model_json_schema()
