"""Exports for Gephi, Cytoscape and the web; the interactive page in a real browser; the report."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kg.build import build
from kg.cli import EXIT_ERROR, EXIT_OK, main
from kg.export import FORMATS, Filters, entity_graph, read_back, sample, write

PIPL = "https://w3id.org/datalaw-kg/id/law/pipl"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "build"
    build(out_dir=out)
    return out / "store"


def test_nodes_carry_names_type_and_dates_and_edges_readable_labels(store: Path) -> None:
    graph = entity_graph(store)
    pipl = graph.nodes[PIPL]
    assert (pipl["label"], pipl["label_zh"], pipl["type"], pipl["date"]) == (
        "Personal Information Protection Law",
        "个人信息保护法",
        "LegalInstrument",
        "2021-08-20",
    )
    labels = {d["label"] for _, _, d in graph.edges(data=True)}
    assert {"based on", "passed by", "cites", "has jurisdiction"} <= labels
    assert not any(label.startswith("http") for label in labels)
    assert all(not str(n).startswith('"') for n in graph.nodes), "literals never become nodes"


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_reads_back_with_the_same_counts_and_labels(store: Path, tmp_path: Path, fmt: str) -> None:
    graph = entity_graph(store)
    out = tmp_path / ("graph-csv" if fmt == "csv" else f"graph.{fmt}")
    write(graph, fmt, out)
    back = read_back(fmt, out)
    assert (back.number_of_nodes(), back.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    for node in (PIPL, "https://w3id.org/datalaw-kg/id/authority/cac"):
        assert back.nodes[node]["label"] == graph.nodes[node]["label"]
        assert back.nodes[node]["label_zh"] == graph.nodes[node]["label_zh"]
    assert sorted(d["label"] for _, _, d in back.edges(data=True)) == sorted(
        d["label"] for _, _, d in graph.edges(data=True)
    )


def test_filters_focus_types_and_dates(store: Path) -> None:
    near = entity_graph(store, Filters(focus=PIPL, depth=1))
    assert PIPL in near and "https://w3id.org/datalaw-kg/id/instrument/pi-outbound-standard-contract-measures" in near
    assert near.number_of_nodes() < entity_graph(store).number_of_nodes()
    only = entity_graph(store, Filters(types=("LegalInstrument", "Authority")))
    assert {d["type"] for _, d in only.nodes(data=True)} == {"LegalInstrument", "Authority"}
    import datetime as dt

    recent = entity_graph(store, Filters(since=dt.date(2022, 1, 1), until=dt.date(2022, 12, 31)))
    dates = [d["date"] for _, d in recent.nodes(data=True) if d["date"]]
    assert dates and all("2022-01-01" <= (date if len(date) == 10 else date + "-01") <= "2022-12-31" for date in dates)


def test_large_graphs_are_sampled_keeping_the_focus(store: Path) -> None:
    graph = entity_graph(store)
    small, cut = sample(graph, 20, [PIPL])
    assert cut and small.number_of_nodes() == 20 and PIPL in small
    assert sample(graph, 10_000)[1] is False


def test_page_lays_out_graphs_past_five_hundred_nodes() -> None:
    # networkx switches to its sparse (scipy) layout above 500 nodes: the page must still come out.
    import networkx as nx

    from kg.view import page

    graph = nx.MultiDiGraph(nx.gnm_random_graph(700, 1400, seed=1, directed=True))
    for node in graph.nodes:
        graph.nodes[node].update(type="Authority", label=f"Body {node}", label_zh="", date="", sources="")
    html = page(graph)
    assert html.count('"type": "Authority"') == 700


def test_cli_export_and_unknown_focus(store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pipl.graphml"
    assert (
        main(["export", "--store", str(store), "--format", "graphml", "--focus", "PIPL", "--out", str(out)]) == EXIT_OK
    )
    assert out.stat().st_size > 1000
    assert main(["export", "--store", str(store), "--focus", "Nowhere Law"]) == EXIT_ERROR
    assert "no entity named" in capsys.readouterr().err


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_view_renders_in_headless_chromium_without_console_errors(store: Path, tmp_path: Path) -> None:
    page = tmp_path / "view.html"
    assert main(["view", "--store", str(store), "--out", str(page)]) == EXIT_OK
    html = page.read_text(encoding="utf-8")
    assert "http://" not in html.split("<script", 1)[0] and "<script src" not in html, (
        "no CDN: the page is self-contained"
    )
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
    ]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    rendered = dom.stdout.count('class="node')
    assert rendered == int(dom.stdout.split('data-rendered="', 1)[1].split('"', 1)[0]) > 100
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert not console, console
    shot = tmp_path / "view.png"
    subprocess.run(
        [CHROMIUM, *flags, "--window-size=1400,900", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
    )
    assert shot.stat().st_size > 20_000
    shutil.copy(shot, Path(__file__).parent.parent / "build" / "view-screenshot.png") if (
        Path(__file__).parent.parent / "build"
    ).is_dir() else None


def test_report_writes_charts_and_a_summary_with_source_links(store: Path, tmp_path: Path) -> None:
    assert main(["report", "--store", str(store), "--out", str(tmp_path)]) == EXIT_OK
    for chart in ("instruments-timeline", "enforcement-by-authority-year", "fines-by-authority"):
        assert (tmp_path / f"{chart}.png").stat().st_size > 5_000
        assert (tmp_path / f"{chart}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Bank of East Asia" in page and '<a href="http' in page
