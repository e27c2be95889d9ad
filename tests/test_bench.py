"""The benchmark corpus: seeded, deterministic, what `kg build` makes of it, and valid by the shapes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kg.build import build
from kg.serialize import DUMP_FILES

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
synth = pytest.importorskip("synth")


# The corpus is the bundled backbone plus synthetic issues up to this many quads: large enough that
# the issues still hold a few dozen cases once the backbone (about 5,400 quads) is counted in.
SCALE = 12_000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    synth.write_data_dir(SCALE, folder / "data")
    return folder


def test_the_data_folder_builds_to_the_streamed_graph_and_conforms(corpus: Path) -> None:
    streamed = corpus / "graph.nq"
    quads = synth.write_graph(SCALE, streamed)
    assert SCALE <= quads < SCALE + 1_000
    report = build(data_dir=corpus / "data", out_dir=corpus / "build")
    assert report.validation is not None and report.validation.conforms, report.validation.text()
    built = (corpus / "build" / DUMP_FILES["nquads"]).read_text(encoding="utf-8").splitlines()
    assert set(built) == set(streamed.read_text(encoding="utf-8").splitlines())
    # A fixed-size corpus holds fewer events as the reference backbone grows; a few suffice here.
    assert report.class_counts["dlk:EnforcementAction"] > 10 and report.class_counts["dlk:CourtCase"] > 5


def test_the_same_seed_gives_the_same_corpus(tmp_path: Path, corpus: Path) -> None:
    synth.write_data_dir(SCALE, tmp_path / "again")
    for path in sorted((corpus / "data").rglob("*.yaml")):
        assert (tmp_path / "again" / path.relative_to(corpus / "data")).read_bytes() == path.read_bytes(), path.name
    assert synth.synthetic_newsletter(30) == synth.synthetic_newsletter(30)
    assert synth.synthetic_newsletter(30, seed=8) != synth.synthetic_newsletter(30)


def test_synthetic_newsletters_parse_item_for_item_despite_their_quirks() -> None:
    from kg.newsletter.segment import parse_text

    issue = parse_text(synth.synthetic_newsletter(60), "synthetic.txt")
    assert [item.n for item in issue.items] == list(range(1, 61))
    assert all(item.source == f"https://example.org/{item.n}" for item in issue.items)
    # Every 25th headline is printed after its paragraph, glued to the footnote marker.
    assert issue.items[24].headline and not issue.items[24].headline[0].isdigit()
    assert not issue.warnings
