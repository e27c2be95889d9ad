"""`kg view` in a real browser: labels apart, search that flies, neighbours to click, edge labels, filters."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from kg.build import build
from kg.cli import EXIT_OK, main
from kg.view import cytoscape_js, page, short_label

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PIPL = "https://w3id.org/datalaw-kg/id/law/pipl"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("view") / "build"
    build(out_dir=out)
    return out / "store"


def test_the_page_is_one_offline_file_with_the_vendored_library_and_its_licence(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    assert main(["view", "--store", str(store), "--out", str(out)]) == EXIT_OK
    html = out.read_text(encoding="utf-8")
    assert "<script src" not in html and "<link" not in html, "nothing loaded from elsewhere"
    assert cytoscape_js() in html
    vendor = Path(__file__).resolve().parents[1] / "kg" / "vendor" / "cytoscape"
    assert "Cytoscape Consortium" in (vendor / "LICENSE").read_text(encoding="utf-8")
    installed = Path(__file__).resolve().parent / "js" / "node_modules" / "cytoscape"
    if installed.is_dir():  # the vendored copy is the release the JS tests install
        assert (installed / "dist" / "cytoscape.min.js").read_text(encoding="utf-8") == cytoscape_js()


def test_labels_on_the_canvas_are_short_and_whole_words() -> None:
    assert short_label("Cybersecurity Law", "CSL") == "CSL"
    long = "Provisions on the Administration of Algorithmic Recommendations for Internet Information Services"
    label = short_label(long)
    assert label.endswith("…") and long.startswith(label[:-1]) and long[len(label) - 1] == " "


def test_degenerate_graphs_still_make_a_page() -> None:
    graph = nx.MultiDiGraph()
    assert '"nodes": []' in page(graph)
    graph.add_node("a", type="Authority", label="A")
    graph.add_node("b", type="Authority", label="B")
    graph.add_edge("a", "a", key="loop", label="parent body")  # a self-loop, and an isolated node
    assert page(graph).count('"type": "Authority"') == 2


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_the_page_works_in_chromium_as_a_person_would_use_it(
    store: Path, tmp_path: Path, js_harness: Path, screenshots: Path
) -> None:
    out = tmp_path / "view.html"
    assert main(["view", "--store", str(store), "--out", str(out)]) == EXIT_OK
    run = subprocess.run(
        ["node", str(js_harness / "view-check.mjs"), str(out), str(screenshots), CHROMIUM or ""],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout)
    assert seen["console"] == [] and seen["requests"] == [], "no errors, and no request leaves the machine"

    # The first view: the laws and their neighbours, labelled, no two labels overlapping.
    first = seen["default"]
    assert first["laws"] >= 20 and first["lawsInView"] == first["laws"]
    assert first["lawsLabelled"] >= first["laws"] - 3 and first["labels"] >= 50
    assert first["overlaps"] == 0 and first["clipped"] == 0, "no label overlaps another or is cut by the edge"
    assert len({round(h) for h in first["labelHeights"]}) == 1, "one label size on screen"

    # Hovering an edge shows its label, and only that edge's.
    hover = seen["hover"]
    assert len(hover["hoverEdges"]) == 1 and hover["edgeLabelsShown"] == 1
    assert hover["hoverEdges"][0]["label"] == hover["hoverEdges"][0]["expected"] != ""
    assert hover["edgesNearPointer"][0] < 6, "the edge under the pointer"

    # Search by abbreviation, Enter: the hit is selected, centred, zoomed in, its details shown.
    assert seen["hits"][0].startswith("Personal Information Protection Law (PIPL)")
    found = seen["search"]
    assert found["selected"] == PIPL and found["selectedOffset"] < 25 and found["zoom"] > first["zoom"]
    assert "个人信息保护法" in found["details"] and "based on" in found["details"] and found["overlaps"] == 0

    # A neighbour in the panel is a button: the view goes there.
    after = seen["neighbour"]
    assert after["selected"] != PIPL and after["selectedOffset"] < 25
    assert seen["neighbourClicked"] in after["details"]

    # Filters: no jurisdictions, and dated nodes only from 2022.
    shown = seen["filtered"]["visible"]
    assert shown and all(n["type"] != "Jurisdiction" for n in shown)
    assert all("2022-01-01" <= n["day"] <= "2022-12-31" for n in shown if n["day"])
    assert any(not n["day"] for n in shown), "undated bodies stay"
    assert seen["filtered"]["overlaps"] == 0
    assert "has jurisdiction" in seen["neighbour"]["details"]
    assert "has jurisdiction" not in seen["filtered"]["details"], "the panel follows the filters"

    names = [Path(p).name for p in seen["screenshots"]]
    assert names == [
        "view-default.png",
        "view-edge-hover.png",
        "view-search.png",
        "view-neighbour.png",
        "view-filtered.png",
    ]
    assert all(Path(p).stat().st_size > 30_000 for p in seen["screenshots"])
