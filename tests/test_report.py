"""`kg report`: charts that add up to their queries, branch fines counted once, labels whole, one HTML file."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Dataset

from kg.build import build
from kg.cli import EXIT_OK, main
from kg.query import Session
from kg.report import Chart, build_report, draw
from kg.store import replace_store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# Independent counts of what each chart counts, written without the report's queries.
DATED_INSTRUMENTS = """SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {
  ?i a dlk:LegalInstrument . { ?i eli:date_document ?d } UNION { ?i dlk:dateDraft ?d } }"""
DATED_ACTIONS = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a dlk:EnforcementAction ; dct:date ?d }"
MONEY = """SELECT (COUNT(?p) AS ?n) (SUM(?v) AS ?total) WHERE { SELECT DISTINCT ?p ?v WHERE {
  ?c a dlk:Case ; dlk:penalty ?p . ?p dlk:penaltyType ?t ; schema:value ?v ; dlk:unit dlk:UnitCNY .
  FILTER (?t IN (dlk:PenaltyFine, dlk:PenaltyConfiscation)) } }"""

# A branch and its parent (itself under the State Council) both named on one case (as extraction reports the PBOC Shanghai branch's
# fine on the Bank of East Asia), a fine of the parent alone, two unrelated bodies acting together,
# and a court's fine with no authority.
BRANCHES = """
@prefix dlk: <https://w3id.org/datalaw-kg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix bibo: <http://purl.org/ontology/bibo/> .
@prefix a: <https://example.org/authority/> .
@prefix c: <https://example.org/case/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/graph/reference> {
  a:pboc a dlk:Authority ; skos:prefLabel "People's Bank of China"@en ; dlk:parentBody a:state-council .
  a:state-council a dlk:Authority ; skos:prefLabel "State Council"@en .
  a:pboc-shanghai a dlk:Authority ; skos:prefLabel "People's Bank of China Shanghai Branch"@en ; dlk:parentBody a:pboc .
  a:cac a dlk:Authority ; skos:prefLabel "Cyberspace Administration of China"@en .
  a:miit a dlk:Authority ; skos:prefLabel "Ministry of Industry and Information Technology"@en .
  <https://example.org/court/x> a dlk:Court ; skos:prefLabel "Chaoyang Court"@en .
}
<https://example.org/graph/issue/1> {
  c:bea a dlk:Case, dlk:EnforcementAction ; dct:date "2022-01-10"^^xsd:date ;
    dlk:authority a:pboc, a:pboc-shanghai ; dlk:penalty c:bea-fine .
  c:bea-fine dlk:penaltyType dlk:PenaltyFine ; schema:value 16740000 ; dlk:unit dlk:UnitCNY .
  c:pboc a dlk:Case, dlk:EnforcementAction ; dct:date "2021-05-01"^^xsd:date ; dlk:authority a:pboc ; dlk:penalty c:pboc-fine .
  c:pboc-fine dlk:penaltyType dlk:PenaltyConfiscation ; schema:value 1000 ; dlk:unit dlk:UnitCNY .
  c:joint a dlk:Case, dlk:EnforcementAction ; dct:date "2022-03-01"^^xsd:date ; dlk:authority a:cac, a:miit ;
    dlk:penalty c:joint-fine .
  c:joint-fine dlk:penaltyType dlk:PenaltyFine ; schema:value 500 ; dlk:unit dlk:UnitCNY .
  c:court a dlk:Case, dlk:CourtCase ; dct:date "2022-04-22"^^xsd:date ; bibo:court <https://example.org/court/x> ;
    dlk:penalty c:court-fine , c:court-jail .
  c:court-fine dlk:penaltyType dlk:PenaltyFine ; schema:value 40000 ; dlk:unit dlk:UnitCNY .
  c:court-jail dlk:penaltyType dlk:PenaltyImprisonment ; schema:value 3 ; dlk:unit dlk:UnitYear .
}
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "build"
    build(out_dir=out)
    return out / "store"


@pytest.fixture(scope="module")
def branches(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("branches")
    dataset = Dataset()
    dataset.parse(data=BRANCHES, format="trig")
    (folder / "graph.nq").write_text(dataset.serialize(format="nquads"), encoding="utf-8")
    replace_store(folder / "store", folder / "graph.nq")
    return folder / "store"


@pytest.fixture(scope="module")
def drawn(store: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Chart]]:
    out = tmp_path_factory.mktemp("drawn")
    return out, build_report(store, out).drawn


def _bars(chart: Chart) -> dict[str, float]:
    return {c: sum(values[i] for values in chart.series.values()) for i, c in enumerate(chart.categories)}


def test_every_chart_adds_up_to_the_query_it_comes_from(store: Path, drawn: tuple[Path, list[Chart]]) -> None:
    out, charts_drawn = drawn
    charts = {chart.name: chart for chart in charts_drawn}
    with Session(store) as kg:
        instruments = int(kg.select(DATED_INSTRUMENTS)[0]["n"])
        actions = int(kg.select(DATED_ACTIONS)[0]["n"])
        money = kg.select(MONEY)[0]
        for chart in charts_drawn:
            assert chart.total > 0, chart.name
            counted = {row.get("instrument") or row.get("case") or row.get("penalty") for row in kg.select(chart.query)}
            if chart.counts:
                assert chart.total == len(counted), chart.name
    assert charts["instruments-timeline"].total == instruments > 50
    assert charts["enforcement-by-authority-year"].total == actions
    assert charts["fines-by-authority"].total == charts["fines-by-parent-body"].total == float(money["total"])
    page = (out / "report.html").read_text(encoding="utf-8")
    assert [float(t) for t in re.findall(r'data-total="([\d.]+)"', page)] == [c.total for c in charts_drawn]


def test_a_fine_imposed_by_a_branch_is_counted_once_and_rolled_up_only_where_the_chart_says(
    branches: Path, tmp_path: Path
) -> None:
    report = build_report(branches, tmp_path)
    charts = {chart.name: chart for chart in report.drawn}
    by_imposer = _bars(charts["fines-by-authority"])
    assert by_imposer == {
        "People's Bank of China Shanghai Branch": 16_740_000,
        "Chaoyang Court": 40_000,
        "People's Bank of China": 1_000,
        "Cyberspace Administration of China + Ministry of Industry and Information Technology": 500,
    }
    assert "rolled up" in charts["fines-by-parent-body"].title
    assert _bars(charts["fines-by-parent-body"]) == {  # one level up: the branch's fine to PBOC, PBOC's own above it
        "People's Bank of China": 16_740_000,
        "State Council": 1_000,
        "Chaoyang Court": 40_000,
        "Cyberspace Administration of China + Ministry of Industry and Information Technology": 500,
    }
    assert charts["fines-by-authority"].total == float(Decimal(16_740_000 + 1_000 + 500 + 40_000))
    actions = charts["enforcement-by-authority-year"]
    assert actions.total == 3 and _bars(actions)["People's Bank of China Shanghai Branch"] == 1
    assert "joint name" in actions.note


def test_small_bars_are_gathered_not_dropped(branches: Path, tmp_path: Path) -> None:
    (fines,) = [c for c in build_report(branches, tmp_path, top=1).drawn if c.name == "fines-by-authority"]
    assert fines.categories == ["People's Bank of China Shanghai Branch", "all 3 others"]
    assert fines.total == 16_781_500


def test_labels_are_whole_words_and_fit_the_figure_and_count_axes_use_integers(
    drawn: tuple[Path, list[Chart]],
) -> None:
    for chart in drawn[1]:
        figure = draw(chart)
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        frame = figure.bbox
        (axes,) = figure.axes
        names = axes.get_yticklabels() if chart.horizontal else []
        shown = []  # tick labels inside the axis' view (matplotlib keeps a few outside, undrawn)
        for axis in (axes.xaxis, axes.yaxis):
            low, high = sorted(axis.get_view_interval())
            shown += [
                t for loc, t in zip(axis.get_ticklocs(), axis.get_ticklabels(), strict=True) if low <= loc <= high
            ]
        texts = [t for t in [*shown, axes.title] if t.get_text()]
        for text in texts:
            box = text.get_window_extent(renderer)
            assert box.x0 >= frame.x0 - 1 and box.x1 <= frame.x1 + 1, (chart.name, text.get_text())
            assert box.y0 >= frame.y0 - 1 and box.y1 <= frame.y1 + 1, (chart.name, text.get_text())
        assert [t.get_text().replace("\n", " ") for t in names] == chart.categories[: len(names)]
        assert all("…" not in c and not c.endswith("-") for c in chart.categories)
        boxes = [t.get_window_extent(renderer) for t in names]
        assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]), chart.name
        if chart.counts:
            value_axis = axes.xaxis if chart.horizontal else axes.yaxis
            low, high = sorted(value_axis.get_view_interval())
            ticks = [t for t in value_axis.get_ticklocs() if low <= t <= high]
            assert ticks and all(float(t).is_integer() for t in ticks), (chart.name, ticks)


def test_report_html_is_one_self_contained_file(
    store: Path, tmp_path: Path, screenshots: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report"
    assert main(["report", "--store", str(store), "--out", str(out)]) == EXIT_OK
    for chart in (
        "instruments-timeline",
        "enforcement-by-authority-year",
        "fines-by-authority",
        "fines-by-parent-body",
    ):
        assert (out / f"{chart}.png").stat().st_size > 5_000
        assert (out / f"{chart}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 4 and "<img" not in page and " src=" not in page and "<link" not in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "ids stay unique with four SVGs inlined"
    for ref in set(re.findall(r"url\(#([^)]+)\)", page)):
        assert ref in ids, ref
    assert "Bank of East Asia" in page and '<a href="http' in page
    moved = tmp_path / "elsewhere" / "report.html"
    moved.parent.mkdir()
    shutil.copy(out / "report.html", moved)  # alone, away from its SVG files
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it): no screenshot")
    shot = screenshots / "report.png"
    shot.unlink(missing_ok=True)
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1100,2600",
            f"--screenshot={shot}",
            moved.as_uri(),
        ],
        capture_output=True,
        timeout=120,
    )
    assert shot.stat().st_size > 50_000, "the page drew its charts"
