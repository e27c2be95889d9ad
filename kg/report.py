"""``kg report``: charts that add up (PNG and SVG) and one self-contained HTML page summing up the graph.

Each chart is drawn from one SPARQL query whose rows are the things counted (one row per
instrument, per enforcement action, per penalty and who imposed it), so every thing is counted
once and the bars of a chart add up to what its query returns: nothing is cut off (the smaller
bars are gathered into one "all others" bar) and nothing is counted twice.

Who imposed a fine: the most specific authority a case names (a branch, not also its parent
when the case names both), else its court. A case naming several authorities, none the branch
of another, is one bar under their joint name. Only the chart that says so rolls branches and
local offices up one level, to their parent body (``dlk:parentBody``).

matplotlib draws the charts (imported here only, with its non-interactive backend). Names are
wrapped at word boundaries, never cut; count axes have integer ticks; SVG text stays text.
``report.html`` carries the SVGs inline, so it is one file to send or open offline.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from kg import progress
from kg.models import Stage
from kg.query import Session

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: One row per dated instrument: its year (of adoption, else of its draft) and its stage.
INSTRUMENTS = """
SELECT ?instrument (MIN(?y) AS ?year) (SAMPLE(?s) AS ?stage) WHERE {
  ?instrument a dlk:LegalInstrument .
  OPTIONAL { ?instrument eli:date_document ?adopted }
  OPTIONAL { ?instrument dlk:dateDraft ?drafted }
  BIND (YEAR(COALESCE(?adopted, ?drafted)) AS ?y)
  FILTER (BOUND(?y))
  OPTIONAL { ?instrument dlk:stage ?s }
} GROUP BY ?instrument
"""

#: One row per (dated enforcement action, acting authority): the most specific authorities it names.
ACTIONS = """
SELECT DISTINCT ?case ?year ?actor ?name WHERE {
  ?case a dlk:EnforcementAction ; dct:date ?date .
  BIND (YEAR(?date) AS ?year)
  OPTIONAL {
    ?case dlk:authority ?actor .
    FILTER NOT EXISTS { ?case dlk:authority ?branch . ?branch dlk:parentBody+ ?actor }
    OPTIONAL { ?actor skos:prefLabel ?name FILTER (lang(?name) = "en") }
  }
}
"""

#: One row per (money penalty in yuan, who imposed it): the most specific authority, else the court.
FINES = """
SELECT DISTINCT ?penalty ?amount ?imposer ?actor ?parent ?name ?parent_name ?court_name WHERE {
  ?case a dlk:Case ; dlk:penalty ?penalty .
  ?penalty dlk:penaltyType ?type ; schema:value ?amount ; dlk:unit dlk:UnitCNY .
  FILTER (?type IN (dlk:PenaltyFine, dlk:PenaltyConfiscation))
  OPTIONAL {
    ?case dlk:authority ?actor .
    FILTER NOT EXISTS { ?case dlk:authority ?branch . ?branch dlk:parentBody+ ?actor }
    OPTIONAL { ?actor skos:prefLabel ?name FILTER (lang(?name) = "en") }
    OPTIONAL {
      ?actor dlk:parentBody ?parent .
      OPTIONAL { ?parent skos:prefLabel ?parent_name FILTER (lang(?parent_name) = "en") }
    }
  }
  OPTIONAL {
    ?case bibo:court ?court . FILTER NOT EXISTS { ?case dlk:authority ?any }
    OPTIONAL { ?court skos:prefLabel ?court_name FILTER (lang(?court_name) = "en") }
  }
  BIND (COALESCE(?actor, ?court) AS ?imposer)
}
"""

LATEST = """
SELECT DISTINCT ?case ?title ?date ?source WHERE {
  ?case a dlk:Case ; dct:title ?title ; dct:date ?date .
  OPTIONAL { ?case dlk:reportedIn/dct:source ?source FILTER (isIRI(?source)) }
} ORDER BY DESC(?date) ?case LIMIT 20
"""
BIGGEST = """
SELECT DISTINCT ?case ?title ?amount ?source WHERE {
  ?case a dlk:Case ; dct:title ?title ; dlk:penalty ?p .
  ?p dlk:penaltyType dlk:PenaltyFine ; schema:value ?amount ; dlk:unit dlk:UnitCNY .
  OPTIONAL { ?case dlk:reportedIn/dct:source ?source FILTER (isIRI(?source)) }
} ORDER BY DESC(?amount) ?case LIMIT 10
"""
COUNTS = """
SELECT ?what (COUNT(DISTINCT ?x) AS ?n) WHERE {
  VALUES (?type ?what) { (dlk:LegalInstrument "instruments") (dlk:Authority "authorities") (dlk:Court "courts")
                         (dlk:EnforcementAction "enforcement actions") (dlk:CourtCase "court cases") (dlk:NewsItem "news items") }
  ?x a ?type
} GROUP BY ?what ORDER BY ?what
"""

NOT_NAMED = "(not named)"
#: Characters per line of a wrapped bar label.
WRAP = 38


@dataclass
class Chart:
    """One chart's numbers: stacked ``series`` over ``categories``, and the query they come from."""

    name: str
    title: str
    query: str
    unit: str
    categories: list[str]
    series: dict[str, list[float]]
    horizontal: bool = True
    note: str = ""

    @property
    def total(self) -> float:
        """Everything the chart draws, added up (equal to what its query counts)."""
        return float(sum(sum(values) for values in self.series.values()))

    @property
    def counts(self) -> bool:
        """True when the values are counts (integer axis ticks), False for amounts of money."""
        return self.unit != "yuan"


@dataclass
class Report:
    """What a report wrote, and the charts it drew."""

    charts: list[Path] = field(default_factory=list)
    page: Path | None = None
    drawn: list[Chart] = field(default_factory=list)


def _imposers(rows: list[dict[str, str]], key: str, rolled_up: bool) -> dict[str, str]:
    """Who each counted thing (``key``) goes under: one name, or the joint name of several."""
    names: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        actor = (row.get("parent") if rolled_up else None) or row.get("actor") or row.get("imposer")
        label = (
            (row.get("parent_name") if rolled_up and row.get("parent") else row.get("name"))
            or row.get("court_name")
            or actor
        )
        names[row[key]].add(label if label else NOT_NAMED)
    return {thing: " + ".join(sorted(found)) for thing, found in names.items()}


def _top(totals: Counter[str], top: int) -> tuple[list[str], str | None]:
    """The ``top`` largest categories (largest first), and the name of the bar gathering the rest."""
    ranked = sorted(totals, key=lambda k: (-totals[k], k))
    if len(ranked) <= top + 1:
        return ranked, None
    return ranked[:top], f"all {len(ranked) - top} others"


def instruments_chart(rows: list[dict[str, str]]) -> Chart:
    """Instruments by year and stage, each instrument once."""
    order = {str(stage.concept): i for i, stage in enumerate(Stage)}
    names = {str(stage.concept): stage.value.replace("-", " ") for stage in Stage}
    cells = Counter((int(r["year"]), r.get("stage") or "") for r in rows)
    years = list(range(min(y for y, _ in cells), max(y for y, _ in cells) + 1)) if cells else []
    stages = sorted({s for _, s in cells}, key=lambda s: (order.get(s, len(order)), s))
    series = {names.get(s, "stage unknown") if s else "stage unknown": [cells[(y, s)] for y in years] for s in stages}
    return Chart(
        "instruments-timeline",
        "Instruments by year of adoption (or of the draft), by current stage",
        INSTRUMENTS,
        "instruments",
        [str(y) for y in years],
        {k: [float(v) for v in vs] for k, vs in series.items()},
        horizontal=False,
        note=f"{len(rows)} dated instruments, each counted once.",
    )


def actions_chart(rows: list[dict[str, str]], top: int) -> Chart:
    """Enforcement actions by acting authority (most specific), stacked by year, each action once."""
    actor = _imposers(rows, "case", rolled_up=False)
    year = {r["case"]: int(r["year"]) for r in rows}
    totals = Counter(actor.values())
    shown, rest = _top(totals, top)
    years = sorted(set(year.values()))
    series: dict[str, list[float]] = {}
    for y in years:
        per = Counter(actor[c] if actor[c] in shown else rest for c in actor if year[c] == y)
        series[str(y)] = [float(per[name]) for name in [*shown, *([rest] if rest else [])]]
    joint = sum(1 for name in actor.values() if " + " in name)
    return Chart(
        "enforcement-by-authority-year",
        "Enforcement actions by acting authority, by year",
        ACTIONS,
        "enforcement actions",
        [*shown, *([rest] if rest else [])],
        series,
        note=f"{len(actor)} dated enforcement actions, each counted once, under the most specific authority named"
        + (f"; {joint} named several unrelated authorities and are shown under their joint name" if joint else "")
        + ".",
    )


def fines_chart(rows: list[dict[str, str]], top: int, rolled_up: bool) -> Chart:
    """Fines and confiscations in yuan by who imposed them; with ``rolled_up``, under the top-level body."""
    imposer = _imposers(rows, "penalty", rolled_up)
    amount = {r["penalty"]: Decimal(r["amount"]) for r in rows}
    totals: Counter[str] = Counter()
    for penalty, name in imposer.items():
        totals[name] += amount[penalty]  # type: ignore[assignment]
    shown, rest = _top(totals, top)
    values = [float(totals[name]) for name in shown]
    if rest:
        values.append(float(sum(v for k, v in totals.items() if k not in shown)))
    what = (
        "parent body (branches and local offices rolled up one level)" if rolled_up else "imposing authority or court"
    )
    return Chart(
        "fines-by-parent-body" if rolled_up else "fines-by-authority",
        f"Fines and confiscations by {what}, yuan",
        FINES,
        "yuan",
        [*shown, *([rest] if rest else [])],
        {"yuan": values},
        note=f"{len(imposer)} penalties, {float(sum(amount.values())):,.0f} yuan in all, each counted once"
        + (
            ", under the body directly above the imposing authority (its dlk:parentBody), or the authority itself"
            " where none is recorded."
            if rolled_up
            else ", under the most specific authority the case names (a branch, not also its parent), else its court."
        ),
    )


def wrap(name: str, width: int = WRAP) -> str:
    r"""A bar label on as many lines as it needs, broken between words only.

    Example:
        >>> wrap("Standing Committee of the Beijing Municipal People's Congress", 30)
        "Standing Committee of the\nBeijing Municipal People's\nCongress"

    """
    return "\n".join(textwrap.wrap(name, width, break_long_words=False, break_on_hyphens=False)) or name


def draw(chart: Chart) -> Figure:
    """The chart as a matplotlib figure, sized to its labels (nothing cut, nothing overlapping)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    labels = [wrap(c) for c in chart.categories]
    lines = sum(label.count("\n") + 1 for label in labels)
    size = (9.5, max(2.8, 0.9 + 0.2 * lines + 0.12 * len(labels))) if chart.horizontal else (9.5, 4.6)
    figure = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(figure)  # a canvas of its own: no pyplot, no global state
    axes = figure.subplots()
    # Years are numbers on their axis (ticks thinned by matplotlib); names are one tick each.
    years = not chart.horizontal
    positions = [float(c) for c in chart.categories] if years else list(range(len(labels)))
    base = [0.0] * len(labels)
    colours = matplotlib.color_sequences["tab10"]
    for i, (name, values) in enumerate(chart.series.items()):
        colour = "#d62728" if chart.unit == "yuan" else colours[i % len(colours)]
        if chart.horizontal:
            axes.barh(positions, values, left=base, label=name, color=colour)
        else:
            axes.bar(positions, values, bottom=base, label=name, color=colour)
        base = [b + v for b, v in zip(base, values, strict=True)]
    value_axis, category_axis = (axes.xaxis, axes.yaxis) if chart.horizontal else (axes.yaxis, axes.xaxis)
    if years:
        category_axis.set_major_locator(MaxNLocator(integer=True))
    else:
        category_axis.set_ticks(positions, labels, fontsize=8)
    if chart.horizontal:
        axes.invert_yaxis()
    if chart.counts:
        value_axis.set_major_locator(MaxNLocator(integer=True))
    else:
        value_axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v / 1e6:,.1f} M" if v else "0"))
        for y, total in zip(positions, base, strict=True):
            axes.annotate(
                f"{total:,.0f}", (total, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7
            )
        axes.margins(x=0.18)
    (axes.set_xlabel if chart.horizontal else axes.set_ylabel)(chart.unit)
    axes.set_title(chart.title, fontsize=11, loc="left")
    if not chart.categories:
        axes.text(0.5, 0.5, f"no {chart.unit} in the graph", transform=axes.transAxes, ha="center", color="#666")
    elif chart.unit != "yuan":
        axes.legend(fontsize=8, title="year" if chart.horizontal else "stage", title_fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def _save(chart: Chart, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    # Text stays text in the SVG (selectable, searchable, smaller); ids are stable per chart.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"datalaw-kg-{chart.name}"}):
        figure = draw(chart)
        written = []
        for suffix in ("png", "svg"):
            path = out / f"{chart.name}.{suffix}"
            figure.savefig(path, dpi=120, metadata={"Date": None} if suffix == "svg" else None)
            written.append(path)
    return written


def _inline_svg(path: Path) -> str:
    """An SVG file's ``<svg>`` element, for inlining (without the XML prolog and doctype)."""
    text = path.read_text(encoding="utf-8")
    return text[text.index("<svg") :]


def build_report(store_path: Path, out: Path, top: int = 10) -> Report:
    """Write the charts (PNG and SVG) and ``report.html`` into ``out``; return what was written and drawn."""
    out.mkdir(parents=True, exist_ok=True)
    report = Report()
    queries: dict[str, str] = {
        "instruments": INSTRUMENTS,
        "actions": ACTIONS,
        "fines": FINES,
        "latest": LATEST,
        "biggest": BIGGEST,
        "counts": COUNTS,
    }
    with Session(store_path) as kg:
        # Values as text, whatever types ``select`` gives them: the charts parse what they count.
        rows = {
            name: [{k: str(v) for k, v in row.items()} for row in kg.select(sparql)]
            for name, sparql in progress.track(queries.items(), "querying the store")
        }
    makers: list[Callable[[], Chart]] = [
        lambda: instruments_chart(rows["instruments"]),
        lambda: actions_chart(rows["actions"], top),
        lambda: fines_chart(rows["fines"], top, rolled_up=False),
        lambda: fines_chart(rows["fines"], top, rolled_up=True),
    ]
    for make in progress.track(makers, "drawing the charts"):
        chart = make()
        report.drawn.append(chart)
        report.charts += _save(chart, out)
    report.page = out / "report.html"
    report.page.write_text(_page(report, rows), encoding="utf-8")
    return report


def _page(report: Report, rows: dict[str, list[dict[str, str]]]) -> str:
    def link(row: dict[str, str]) -> str:
        title = html.escape(row["title"])
        return f'<a href="{html.escape(row["source"])}">{title}</a>' if row.get("source") else title

    items = "".join(f"<li>{html.escape(r['what'])}: {int(r['n']):,}</li>" for r in rows["counts"])
    recent = "".join(f"<tr><td>{r['date']}</td><td>{link(r)}</td></tr>" for r in rows["latest"])
    largest = "".join(
        f'<tr><td class="n">{float(r["amount"]):,.0f}</td><td>{link(r)}</td></tr>' for r in rows["biggest"]
    )
    svgs = {p.stem: p for p in report.charts if p.suffix == ".svg"}
    figures = "".join(
        f'<figure id="{chart.name}">{_inline_svg(svgs[chart.name])}'
        f'<figcaption>{html.escape(chart.note)} <span class="total" data-total="{chart.total:.2f}">Total: '
        f"{chart.total:,.0f} {html.escape(chart.unit)}.</span></figcaption></figure>"
        for chart in report.drawn
    )
    # Unique ids across the inlined SVGs: matplotlib names clip paths per file, not per page.
    figures = re.sub(r'(id="|url\(#|href="#)([A-Za-z][\w-]*)', _prefixed(report.drawn), figures)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>datalaw-kg report</title>
<style>
body{{font:14px system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}}
td{{padding:2px 8px;vertical-align:top}} td.n{{text-align:right;white-space:nowrap}}
figure{{margin:1.5em 0}} figure svg{{max-width:100%;height:auto}} figcaption{{font-size:13px;color:#444}}
</style></head>
<body><h1>China data-law knowledge graph: summary</h1><ul>{items}</ul>{figures}
<h2>Latest cases</h2><table>{recent}</table><h2>Largest fines (yuan)</h2><table>{largest}</table></body></html>
"""


def _prefixed(charts: list[Chart]) -> Callable[[re.Match[str]], str]:
    """Prefix each SVG-internal id (and references to it) with the id of the figure it is in."""
    state = {"figure": ""}

    def rename(match: re.Match[str]) -> str:
        head, name = match.group(1), match.group(2)
        if head == 'id="' and name in {c.name for c in charts}:
            state["figure"] = name  # a <figure id=…> opens: ids after it belong to this chart
            return match.group(0)
        return f"{head}{state['figure']}-{name}"

    return rename
