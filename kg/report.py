"""``kg report``: static charts (PNG and SVG) and a one-page HTML summary with links to sources.

Three charts, each from one SPARQL query on the store: the timeline of instruments by stage,
enforcement actions by authority and year, and money penalties by authority. The summary page
shows the counts, the charts and the latest cases and largest fines, each with its source link.
matplotlib draws the charts (imported here only, with its non-interactive backend).
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kg.query import Session

_TIMELINE = """
SELECT ?year ?stage (COUNT(DISTINCT ?i) AS ?n) WHERE {
  ?i a dlk:LegalInstrument . OPTIONAL { ?i eli:date_document ?adopted } OPTIONAL { ?i dlk:dateDraft ?drafted }
  BIND (YEAR(COALESCE(?adopted, ?drafted)) AS ?year) FILTER (BOUND(?year))
  ?i dlk:stage/skos:prefLabel ?stage FILTER (lang(?stage) = "en")
} GROUP BY ?year ?stage ORDER BY ?year ?stage
"""
_ACTIONS = """
SELECT ?name ?year (COUNT(DISTINCT ?case) AS ?n) WHERE {
  ?case a dlk:EnforcementAction ; dlk:authority ?a ; dct:date ?date . BIND (YEAR(?date) AS ?year)
  ?a skos:prefLabel ?name FILTER (lang(?name) = "en")
} GROUP BY ?name ?year ORDER BY ?name ?year
"""
_FINES = """
SELECT DISTINCT ?name ?total WHERE {
  { SELECT ?a (SUM(?v) AS ?total) WHERE {
      ?case a dlk:Case ; dlk:authority ?a ; dlk:penalty ?p . ?p dlk:penaltyType ?t ; schema:value ?v ; dlk:unit dlk:UnitCNY .
      FILTER (?t IN (dlk:PenaltyFine, dlk:PenaltyConfiscation))
  } GROUP BY ?a }
  ?a skos:prefLabel ?name FILTER (lang(?name) = "en")
} ORDER BY DESC(?total)
"""
_LATEST = """
SELECT DISTINCT ?case ?title ?date ?source WHERE {
  ?case a dlk:Case ; dct:title ?title ; dct:date ?date .
  OPTIONAL { ?case dlk:reportedIn/dct:source ?source FILTER (isIRI(?source)) }
} ORDER BY DESC(?date) ?case LIMIT 20
"""
_BIGGEST = """
SELECT DISTINCT ?case ?title ?amount ?source WHERE {
  ?case a dlk:Case ; dct:title ?title ; dlk:penalty ?p . ?p dlk:penaltyType dlk:PenaltyFine ; schema:value ?amount ; dlk:unit dlk:UnitCNY .
  OPTIONAL { ?case dlk:reportedIn/dct:source ?source FILTER (isIRI(?source)) }
} ORDER BY DESC(?amount) ?case LIMIT 10
"""
_COUNTS = """
SELECT ?what (COUNT(DISTINCT ?x) AS ?n) WHERE {
  VALUES (?type ?what) { (dlk:LegalInstrument "instruments") (dlk:Authority "authorities") (dlk:Court "courts")
                         (dlk:EnforcementAction "enforcement actions") (dlk:CourtCase "court cases") (dlk:NewsItem "news items") }
  ?x a ?type
} GROUP BY ?what ORDER BY ?what
"""


@dataclass
class Report:
    """What a report wrote."""

    charts: list[Path] = field(default_factory=list)
    page: Path | None = None


def _chart(name: str, out: Path, draw) -> list[Path]:  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "datalaw-kg"  # stable ids: the same data gives the same SVG
    figure, axes = plt.subplots(figsize=(9, 4.8))
    draw(axes)
    figure.tight_layout()
    written = []
    for suffix in ("png", "svg"):
        path = out / f"{name}.{suffix}"
        figure.savefig(path, dpi=120, metadata={"Date": None} if suffix == "svg" else None)
        written.append(path)
    plt.close(figure)
    return written


def build_report(store_path: Path, out: Path, top: int = 10) -> Report:
    """Write the charts and ``report.html`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    report = Report()
    with Session(store_path) as kg:
        timeline, actions, fines = kg.select(_TIMELINE), kg.select(_ACTIONS), kg.select(_FINES)
        latest, biggest, counts = kg.select(_LATEST), kg.select(_BIGGEST), kg.select(_COUNTS)

    def draw_timeline(axes) -> None:  # type: ignore[no-untyped-def]
        years = sorted({int(r["year"]) for r in timeline})
        stages = sorted({r["stage"] for r in timeline})
        bottom = [0] * len(years)
        for stage in stages:
            values = [sum(int(r["n"]) for r in timeline if int(r["year"]) == y and r["stage"] == stage) for y in years]
            axes.bar(years, values, bottom=bottom, label=stage)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        axes.set_title("Instruments by year of adoption (or draft) and current stage")
        axes.set_ylabel("instruments")
        if stages:
            axes.legend(fontsize=8)

    def draw_actions(axes) -> None:  # type: ignore[no-untyped-def]
        per_body: dict[str, dict[int, int]] = defaultdict(dict)
        for r in actions:
            per_body[r["name"]][int(r["year"])] = int(r["n"])
        bodies = sorted(per_body, key=lambda b: -sum(per_body[b].values()))[:top]
        years = sorted({y for b in bodies for y in per_body[b]})
        width = 0.8 / max(1, len(years))
        for i, year in enumerate(years):
            axes.barh(
                [j + i * width for j in range(len(bodies))],
                [per_body[b].get(year, 0) for b in bodies],
                height=width,
                label=str(year),
            )
        axes.set_yticks([j + 0.4 - width / 2 for j in range(len(bodies))], [b[:45] for b in bodies], fontsize=7)
        axes.invert_yaxis()
        axes.set_title(f"Enforcement actions by authority and year (top {top})")
        if years:
            axes.legend(fontsize=8)

    def draw_fines(axes) -> None:  # type: ignore[no-untyped-def]
        rows = fines[:top]
        axes.barh([r["name"][:45] for r in rows], [float(r["total"]) / 1e6 for r in rows], color="#d62728")
        axes.invert_yaxis()
        axes.tick_params(axis="y", labelsize=7)
        axes.set_title(f"Fines and confiscations by authority, million yuan (top {top})")

    report.charts += _chart("instruments-timeline", out, draw_timeline)
    report.charts += _chart("enforcement-by-authority-year", out, draw_actions)
    report.charts += _chart("fines-by-authority", out, draw_fines)

    def link(row: dict[str, str]) -> str:
        title = html.escape(row["title"])
        return f'<a href="{html.escape(row["source"])}">{title}</a>' if row.get("source") else title

    items = "".join(f"<li>{html.escape(r['what'])}: {r['n']}</li>" for r in counts)
    recent = "".join(f"<tr><td>{r['date']}</td><td>{link(r)}</td></tr>" for r in latest)
    largest = "".join(f"<tr><td>{float(r['amount']):,.0f}</td><td>{link(r)}</td></tr>" for r in biggest)
    charts = "".join(
        f'<figure><img src="{p.name}" alt="{p.stem}" style="max-width:100%"></figure>'
        for p in report.charts
        if p.suffix == ".svg"
    )
    report.page = out / "report.html"
    report.page.write_text(
        f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>datalaw-kg report</title>
<style>body{{font:14px system-ui,sans-serif;max-width:980px;margin:2em auto}} td{{padding:2px 8px;vertical-align:top}}</style></head>
<body><h1>China data-law knowledge graph: summary</h1><ul>{items}</ul>{charts}
<h2>Latest cases</h2><table>{recent}</table><h2>Largest fines (yuan)</h2><table>{largest}</table></body></html>
""",
        encoding="utf-8",
    )
    return report
