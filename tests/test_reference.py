"""The curated backbone loads, maps to RDF, and bad entries are reported with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.namespace import RDF, SKOS

from kg.errors import InputError
from kg.mapping import IriIndex, to_triples
from kg.models import Authority, Court, Instrument, Jurisdiction, Rank, Stage
from kg.namespaces import DLK, ELI
from kg.rdf import reference_graph
from kg.reference import load_reference
from kg.resources import resource_dir

BASE = "https://w3id.org/datalaw-kg/id/"


@pytest.fixture(scope="module")
def backbone():
    return load_reference(resource_dir("data"))


def test_bundled_backbone_meets_the_minimum_coverage(backbone) -> None:
    statutes = [e for e in backbone.of_type(Instrument) if e.rank is Rank.LAW]
    instruments = [e for e in backbone.of_type(Instrument) if e.rank is not Rank.LAW]
    assert len(statutes) >= 21
    assert len(instruments) >= 55
    assert len(backbone.of_type(Authority)) >= 90
    assert len(backbone.of_type(Court)) >= 34
    courts = backbone.of_type(Court)
    assert any(c.id == "spc" for c in courts)
    assert sum(1 for c in courts if c.internet_court) == 3
    assert any(j.id == "china" for j in backbone.of_type(Jurisdiction))


@pytest.mark.parametrize(
    ("entity_id", "name_zh"),
    [
        ("pipl", "个人信息保护法"),
        ("dsl", "数据安全法"),
        ("csl", "网络安全法"),
        ("cac", "国家互联网信息办公室"),
        ("spc", "最高人民法院"),
    ],
)
def test_pillars_and_top_bodies_have_their_chinese_names(backbone, entity_id: str, name_zh: str) -> None:
    assert backbone.get(entity_id).name_zh == name_zh


def test_three_pillars_carry_their_dates(backbone) -> None:
    effective = {i: str(backbone.get(i).effective) for i in ("csl", "dsl", "pipl")}
    assert effective == {"csl": "2017-06-01", "dsl": "2021-09-01", "pipl": "2021-11-01"}


#: Ranks that the Legislation Law makes under statutes, so their text names the laws they implement.
#: Standards, normative documents, local regulations and policy documents often cite only "relevant
#: laws", and based_on records only what the text names, so they are left out of the ratio.
MADE_UNDER_STATUTES = {Rank.ADMINISTRATIVE_REGULATION, Rank.DEPARTMENTAL_RULE, Rank.JUDICIAL_INTERPRETATION}


def test_every_instrument_links_to_the_laws_it_is_made_under(backbone) -> None:
    implementing = [e for e in backbone.of_type(Instrument) if e.rank is not Rank.LAW and e.final_version is None]
    # A draft has no final Article 1 naming the laws it is made under.
    rules = [e for e in implementing if e.rank in MADE_UNDER_STATUTES and e.stage is not Stage.DRAFT]
    without = [e.id for e in rules if not e.based_on]
    assert len(without) <= len(rules) // 5, f"too many rules without based_on: {without}"
    assert sum(1 for e in implementing if "pipl" in e.based_on) >= 8


def test_every_reference_entity_maps_to_rdf_with_english_and_chinese_labels(backbone) -> None:
    graph = reference_graph(backbone, BASE)
    index = IriIndex(BASE, backbone)
    for entity in backbone:
        node = index[entity.id]
        langs = {label.language for label in graph.objects(node, SKOS.prefLabel)}
        assert langs == {"en", "zh"}, entity.id
        assert (node, RDF.type, None) in graph


def test_iris_are_readable_and_follow_the_base(backbone) -> None:
    index = IriIndex("https://example.org/kg/", backbone)
    assert str(index["pipl"]) == "https://example.org/kg/law/pipl"
    assert str(index["cac"]) == "https://example.org/kg/authority/cac"
    assert str(index["spc"]) == "https://example.org/kg/court/spc"
    assert str(index["china"]) == "https://example.org/kg/jurisdiction/china"


def test_instruments_are_based_on_laws_in_rdf(backbone) -> None:
    graph = reference_graph(backbone, BASE)
    pipl = IriIndex(BASE, backbone)["pipl"]
    assert len(set(graph.subjects(ELI.based_on, pipl))) >= 8
    assert (pipl, DLK.legalRank, DLK.RankLaw) in graph


# Malformed files: each case is one small edit of the test backbone.


def _edit(folder: Path, name: str, old: str, new: str) -> Path:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("name", "old", "new", "needle", "message"),
    [
        ("statutes.yaml", "stage: in-force", "stage: enacted", "stage: enacted", "stage"),
        (
            "instruments.yaml",
            "based_on: [pipl]",
            "based_on: [pipl, no-such-law]",
            "based_on:",
            "unknown id 'no-such-law'",
        ),
        (
            "authorities.yaml",
            "jurisdiction: china\n- id: cac",
            "jurisdiction: china\n  level: county\n- id: cac",
            "level: county",
            "appears twice",
        ),
        ("courts.yaml", "  name_zh: 最高人民法院\n", "", "- id: spc", "no name_zh"),
        ("instruments.yaml", "adopted: 2023-02-22", "adopted: 2023-02-30", "adopted:", "adopted"),
        ("statutes.yaml", "effective: 2021-11-01", "effective: 2020-11-01", "- id: pipl", "before adoption"),
        ("instruments.yaml", "issuers: [cac]", "issuers: [china]", "issuers:", "is a Jurisdiction"),
        ("jurisdictions.yaml", "- id: shanghai", "- id: Shang Hai", "- id: Shang Hai", "lower-case"),
        ("authorities.yaml", "  jurisdiction: china\n- id: cac", "- id: cac", "- id: npcsc", "no jurisdiction"),
    ],
)
def test_malformed_entry_is_reported_with_file_and_line(
    fixture_data: Path, name: str, old: str, new: str, needle: str, message: str
) -> None:
    path = _edit(fixture_data, name, old, new)
    with pytest.raises(InputError) as caught:
        load_reference(fixture_data)
    error = caught.value
    assert error.path == path
    assert error.line == _line_of(path, needle)
    assert message in str(error)
    assert f"{path}:{error.line}:" in str(error)


def test_duplicated_id_names_both_places(fixture_data: Path) -> None:
    path = fixture_data / "courts.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: spc", "id: cac"), encoding="utf-8")
    with pytest.raises(InputError, match=r"already defined at authorities.yaml:\d+") as caught:
        load_reference(fixture_data)
    assert caught.value.path == path and caught.value.line == 1


def test_broken_yaml_is_reported_with_its_line(fixture_data: Path) -> None:
    path = fixture_data / "statutes.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  oops: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML") as caught:
        load_reference(fixture_data)
    assert caught.value.path == path and caught.value.line is not None


def test_unknown_reference_file_is_refused(fixture_data: Path) -> None:
    (fixture_data / "regulators.yaml").write_text("[]\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown reference file"):
        load_reference(fixture_data)


def test_mapping_emits_declared_types_and_concepts(fixture_data: Path) -> None:
    backbone = load_reference(fixture_data)
    index = IriIndex(BASE, backbone)
    triples = set(to_triples(backbone.get("cac"), index))
    cac = index["cac"]
    assert (cac, RDF.type, DLK.Authority) in triples
    assert (cac, RDF.type, DLK.Regulator) in triples
    assert (cac, DLK.administrativeLevel, DLK.LevelNational) in triples
    pipl = set(to_triples(backbone.get("pipl"), index))
    assert (index["pipl"], ELI.in_force, ELI["InForce-inForce"]) in pipl


def test_a_file_edited_in_place_is_read_again_by_the_same_process(fixture_data: Path) -> None:
    """The parsed files are kept for the next reading; an edit of the same size at once is still seen."""
    before = load_reference(fixture_data)
    assert before.get("cac").abbreviations
    path = fixture_data / "authorities.yaml"
    text = path.read_text(encoding="utf-8")
    stat = path.stat()
    # Same length, written at once: the file's size (and often its modification time) stay the same.
    edited = text.replace("- id: cac\n", "- id: cax\n", 1)
    assert len(edited) == len(text) and edited != text
    path.write_text(edited, encoding="utf-8")
    assert path.stat().st_size == stat.st_size
    with pytest.raises(InputError, match="unknown id 'cac'"):
        load_reference(fixture_data)
    path.write_text(text, encoding="utf-8")
    assert load_reference(fixture_data).get("cac").name_en == before.get("cac").name_en
