"""The build's cache of mapped event files (kg.mapcache): a rebuild from it gives a fresh build's dumps."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.build import build
from kg.errors import InputError
from kg.mapcache import cache_dir
from kg.resources import resource_dir
from kg.serialize import DUMP_FILES


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A writable copy of the bundled data folder, with its curated event files."""
    target = tmp_path / "data"
    shutil.copytree(resource_dir("data"), target)
    return target


def _dumps(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in DUMP_FILES.values()}


def _entries(out: Path) -> list[Path]:
    return [path for path in cache_dir(out / "store").rglob("*") if path.is_file()]


def _fresh(data: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "fresh"
    shutil.rmtree(out, ignore_errors=True)
    build(data, out)
    return _dumps(out)


def test_a_rebuild_after_an_edit_gives_the_dumps_of_a_fresh_build(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(data, out)
    assert len(_entries(out)) == 3, "one entry per event file, and the ontology and reference graphs"
    edited = sorted((data / "events").glob("*.yaml"))[0]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("kind: legislation", "kind: policy", 1), encoding="utf-8")

    build(data, out)

    assert _dumps(out) == _fresh(data, tmp_path)
    assert b"policy" in (out / DUMP_FILES["nquads"]).read_bytes()
    assert len(_entries(out)) == 3, "the edited file's old entry is pruned"


def test_a_change_to_the_reference_data_maps_every_file_again(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(data, out)
    (before,) = (path.name for path in cache_dir(out / "store").iterdir())
    authorities = data / "authorities.yaml"
    authorities.write_text(
        authorities.read_text(encoding="utf-8").replace(
            "alt_names_en: [NPC Standing Committee]", "alt_names_en: [NPC Standing Committee, A Test Alias]", 1
        ),
        encoding="utf-8",
    )

    build(data, out)

    (after,) = (path.name for path in cache_dir(out / "store").iterdir())
    assert after != before, "another context, another folder; the old one is removed"
    assert b"A Test Alias" in (out / DUMP_FILES["nquads"]).read_bytes()
    assert _dumps(out) == _fresh(data, tmp_path)


def test_an_unreadable_entry_is_mapped_again(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(data, out)
    before = _dumps(out)
    for entry in _entries(out):
        entry.write_bytes(b"\x00not marshal data")

    build(data, out)

    assert _dumps(out) == before


def test_a_build_refused_for_bad_reference_data_leaves_the_output_folder_as_it_was(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("kept", encoding="utf-8")
    statutes = data / "statutes.yaml"
    statutes.write_text(statutes.read_text(encoding="utf-8").replace("rank: law", "rank: statute"), encoding="utf-8")

    with pytest.raises(InputError):
        build(data, out)

    assert sorted(path.name for path in out.iterdir()) == ["notes.txt"]
