"""Article-level law and versions: reading statute texts, dated versions, and the links and queries on them.

The parser tests read tests/fixtures/laws/example-data-law.md, a statute of three articles in two
chapters made up for them (our words, in the layout of ../shared/laws), and bad variants of it
written on the fly. Tests of the real texts read ../shared/laws and are skipped without it.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from kg.build import build
from kg.cli import EXIT_ERROR, EXIT_OK, main
from kg.errors import InputError
from kg.events import records_to_nodes
from kg.ingest import issue_graphs, load_backbone, stored_articles
from kg.laws import article_citation, chinese_number, law_files, parse_law_text, read_law_file
from kg.models import Article, CourtCase, EnforcementAction, Instrument, Version
from kg.newsletter.link import Linker
from kg.newsletter.records import InstrumentRecord, IssueRecord, ItemRecord
from kg.queries import bind, load_query
from kg.query import render_term, run_local
from kg.reference import load_reference

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
SHARED = TESTS.parents[1] / "shared"
LAWS = FIXTURES / "laws"
EXAMPLE = LAWS / "example-data-law.md"
SHARED_LAWS = SHARED / "laws"
needs_shared_laws = pytest.mark.skipif(not SHARED_LAWS.is_dir(), reason="../shared/laws is not here")

EXAMPLE_ENTRY = """- id: example-data-law
  name_en: Example Data Law
  name_zh: 示例数据法
  alt_names_zh: [中华人民共和国示例数据法]
  rank: law
  stage: amended
  issuers: [npcsc]
  jurisdiction: china
  adopted: 2020-05-01
  effective: 2020-09-01
  versions:
    - adopted: 2024-06-01
      effective: 2025-01-01
      sources: [https://example.org/amending-decision]
"""


@pytest.fixture
def example_data(fixture_data: Path) -> Path:
    """The test backbone plus the made-up Example Data Law, amended once."""
    with (fixture_data / "statutes.yaml").open("a", encoding="utf-8") as out:
        out.write(EXAMPLE_ENTRY)
    return fixture_data


def _rows(results: object) -> list[list[str]]:
    assert isinstance(results, dict)
    names = results["head"]["vars"]
    return [[render_term(row.get(n)) for n in names] for row in results["results"]["bindings"]]


# Chinese numerals and citations ------------------------------------------------------------


NUMERALS = {"一": 1, "九": 9, "十": 10, "十九": 19, "二十": 20, "七十四": 74, "一百": 100, "一百零五": 105}
NUMERALS |= {"二百一十": 210, "一千零一": 1001, "一千二百六十": 1260, "２５": 25}


@pytest.mark.parametrize(("text", "value"), NUMERALS.items())
def test_chinese_numbers(text: str, value: int) -> None:
    assert chinese_number(text) == value


@pytest.mark.parametrize("text", ["", "条", "七四", "十百", "一十十"])
def test_what_is_not_a_chinese_number_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        chinese_number(text)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("PIPL Article 38", ("PIPL", 38)),
        ("Cybersecurity Law, Art. 37", ("Cybersecurity Law", 37)),
        ("Article 21 of the Data Security Law", ("Data Security Law", 21)),
        ("数据安全法第二十一条", ("数据安全法", 21)),
        ("Data Security Law", None),
        ("Article 21", None),
    ],
)
def test_article_citations(name: str, expected: tuple[str, int] | None) -> None:
    assert article_citation(name) == expected


# Reading law files -----------------------------------------------------------------------


def test_the_example_statute_reads_into_articles_chapters_and_its_date() -> None:
    law = read_law_file(EXAMPLE)
    assert law.title == "中华人民共和国示例数据法" and law.title_line == 2
    assert law.dated == dt.date(2020, 5, 1)
    assert [(a.number, a.heading, a.chapter, a.chapter_title, a.line) for a in law.articles] == [
        (1, "第一条", 1, "总则", 10),
        (2, "第二条", 1, "总则", 12),
        (3, "第三条", 2, "附则", 18),
    ]
    assert law.articles[1].text == "数据处理者应当妥善保管测试数据。\n前款所称测试数据，是指仅用于本项目测试的文字。"


def test_law_files_leave_the_readme_out(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "a.md")
    (tmp_path / "README.md").write_text("# About these texts\n", encoding="utf-8")
    assert law_files(tmp_path) == [tmp_path / "a.md"]


BAD_FILES = [
    (
        "第一条 为了检验条文读取程序，制定本法。",
        "第五条 为了检验条文读取程序，制定本法。",
        10,
        "article 5 (第五条) where article 1 was expected",
    ),
    ("第三条 本法自", "第二条 本法自", 18, "article 2 (第二条) where article 3 was expected"),
    ("## 第二章 附 则", "## 第三章 附 则", 16, "chapter 3 (第三章) where chapter 2 was expected"),
    ("## 第二章 附 则", "## 附录", 16, "unexpected heading '附录'"),
    ("第一条 为了检验条文读取程序，制定本法。", "为了检验条文读取程序，制定本法。", 10, "text outside any article"),
    (
        "第二条 数据处理者应当妥善保管测试数据。\n\n前款",
        "第二条\n\n## 第二章 附 则\n\n前款",
        12,
        "article 第二条 has no text",
    ),
    ("# 中华人民共和国示例数据法", "中华人民共和国示例数据法", 2, "text before the title"),
    ("第一条 为了检验条文读取程序", "第十十条 为了检验条文读取程序", 10, "'十十' is not a Chinese numeral"),
]


@pytest.mark.parametrize(("old", "new", "line", "message"), BAD_FILES, ids=[case[3][:30] for case in BAD_FILES])
def test_a_bad_law_file_names_its_file_and_line(tmp_path: Path, old: str, new: str, line: int, message: str) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "bad.md"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        read_law_file(path)
    assert (caught.value.path, caught.value.line) == (path, line)


def test_a_file_with_no_articles_or_not_utf8_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("# 示例数据法\n\n2020年5月1日 通过\n", encoding="utf-8")
    with pytest.raises(InputError, match="no articles"):
        read_law_file(empty)
    latin = tmp_path / "latin.md"
    latin.write_bytes("# 示例数据法\n".encode("gb18030"))
    with pytest.raises(InputError, match="cannot read law file"):
        read_law_file(latin)


def test_parse_law_text_needs_no_file() -> None:
    law = parse_law_text("# 示例法\n\n第一条 测试。\n", Path("inline.md"))
    assert [(a.number, a.chapter, a.text) for a in law.articles] == [(1, None, "测试。")]


# Versions in the reference data --------------------------------------------------------------


def test_versions_become_dated_nodes_and_amended_follows_them(example_data: Path) -> None:
    backbone = load_reference(example_data)
    law = backbone.get("example-data-law")
    assert isinstance(law, Instrument) and law.amended == [dt.date(2024, 6, 1)]
    versions = [p for p in backbone.parts if isinstance(p, Version)]
    assert [(v.id, v.adopted, v.effective, v.consolidates) for v in versions] == [
        ("example-data-law-version-2020-05-01", dt.date(2020, 5, 1), dt.date(2020, 9, 1), None),
        (
            "example-data-law-version-2024-06-01",
            dt.date(2024, 6, 1),
            dt.date(2025, 1, 1),
            "example-data-law-version-2020-05-01",
        ),
    ]


def test_amended_dates_alone_still_load_as_versions(fixture_data: Path) -> None:
    with (fixture_data / "statutes.yaml").open("a", encoding="utf-8") as out:
        out.write(EXAMPLE_ENTRY.split("  versions:")[0] + "  amended: [2022-01-01, 2024-06-01]\n")
    law = load_reference(fixture_data).get("example-data-law")
    assert isinstance(law, Instrument)
    assert [v.adopted for v in law.versions] == [dt.date(2022, 1, 1), dt.date(2024, 6, 1)]
    assert [v.id for v in law.version_nodes()][-1] == "example-data-law-version-2024-06-01"


@pytest.mark.parametrize(
    ("old", "new", "message", "line_of"),
    [
        ("      effective: 2025-01-01", "      effective: 2024-01-01", "is before adoption", "    - adopted"),
        ("  effective: 2020-09-01\n", "  effective: 2020-09-01\n  amended: [2023-01-01]\n", "differ", "- id: example"),
        (
            "  adopted: 2020-05-01\n",
            "  adopted: 2020-05-01\n  promulgated: 2020-04-30\n",
            "promulgated 2020-04-30 is before adoption",
            "- id: example",
        ),
        ("    - adopted: 2024-06-01", "    - adopted: 2019-06-01", "not later than the original text", "- id: example"),
    ],
)
def test_inconsistent_dates_and_versions_name_the_file_and_line(
    example_data: Path, old: str, new: str, message: str, line_of: str
) -> None:
    path = example_data / "statutes.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        load_reference(example_data)
    expected = next(
        n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(line_of)
    )
    assert caught.value.path == path and caught.value.line is not None and caught.value.line >= expected


def test_the_cybersecurity_law_has_its_2025_amendment_as_a_version() -> None:
    backbone = load_backbone()
    versions = {p.id: p for p in backbone.parts if isinstance(p, Version) and p.of == "csl"}
    assert set(versions) == {"csl-version-2016-11-07", "csl-version-2025-10-28"}
    amended = versions["csl-version-2025-10-28"]
    assert (amended.adopted, amended.effective, amended.consolidates) == (
        dt.date(2025, 10, 28),
        dt.date(2026, 1, 1),
        "csl-version-2016-11-07",
    )
    assert amended.sources and str(amended.sources[0]).startswith("https://www.cac.gov.cn/")


# Articles in the backbone ------------------------------------------------------------------------


def test_law_texts_become_articles_of_the_instrument_their_title_names(example_data: Path) -> None:
    backbone = load_reference(example_data, LAWS)
    articles = [p for p in backbone.parts if isinstance(p, Article)]
    assert [a.id for a in articles] == [f"example-data-law-article-{n}" for n in (1, 2, 3)]
    assert {a.text_version for a in articles} == {"example-data-law-version-2020-05-01"}
    assert articles[0].title == "第一条" and articles[2].chapter_title == "附则"


def test_a_text_no_instrument_has_is_an_error_unless_skipped(fixture_data: Path) -> None:
    with pytest.raises(InputError, match="no instrument of the backbone has the Chinese title") as caught:
        load_reference(fixture_data, LAWS)
    assert caught.value.path == EXAMPLE and caught.value.line == 2
    backbone = load_reference(fixture_data, LAWS, skip_unknown_laws=True)
    assert not [p for p in backbone.parts if isinstance(p, Article)]
    assert "example-data-law.md:2" in backbone.warnings[0] and "skipped" in backbone.warnings[0]


def test_based_on_an_article_links_to_it_when_read_else_to_its_law(example_data: Path) -> None:
    path = example_data / "instruments.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("based_on: [pipl]", "based_on: [pipl, example-data-law-article-2]"),
        encoding="utf-8",
    )
    with_texts = load_reference(example_data, LAWS).get("sample-measures")
    without = load_reference(example_data).get("sample-measures")
    assert isinstance(with_texts, Instrument) and isinstance(without, Instrument)
    assert with_texts.based_on == ["pipl", "example-data-law-article-2"]
    assert without.based_on == ["pipl", "example-data-law"]


def _record(item: dict[str, object]) -> IssueRecord:
    return IssueRecord(newsletter="law_test.txt", items=[ItemRecord(n=1, headline="A test item", **item)])


@pytest.mark.parametrize(
    ("date", "cites"),
    [
        ("2024-12-31", ["example-data-law-article-2"]),
        # The amended text was in force by then, and the text read is the original: the number may have moved.
        ("2025-02-01", ["example-data-law"]),
    ],
)
def test_a_case_citing_an_article_links_to_it_while_its_text_applied(
    example_data: Path, date: str, cites: list[str]
) -> None:
    linker = Linker(load_reference(example_data, LAWS))
    item = {"kind": "enforcement", "date": date, "authorities": ["Cyberspace Administration of China"]}
    nodes = records_to_nodes(_record({**item, "laws": ["Example Data Law Article 2", "PIPL"]}), linker)
    (case,) = [n for n in nodes.nodes if isinstance(n, EnforcementAction)]
    assert case.cites == [*cites, "pipl"]
    (news,) = [n for n in nodes.nodes if n.id.startswith("item-")]
    assert "example-data-law" in news.mentions  # type: ignore[attr-defined]


def test_without_texts_a_cited_article_is_its_law_and_mints_nothing(example_data: Path) -> None:
    nodes = records_to_nodes(
        _record({"kind": "litigation", "laws": ["Example Data Law Article 2"]}), Linker(load_reference(example_data))
    )
    (case,) = [n for n in nodes.nodes if isinstance(n, CourtCase)]
    assert case.cites == ["example-data-law"] and not nodes.new_entities


def test_a_new_rule_implementing_an_article_is_made_under_it(example_data: Path) -> None:
    rule = InstrumentRecord(
        title="Example Rules on Test Data",
        status="issued",
        implements=["Example Data Law"],
        implements_article="Example Data Law Article 2",
    )
    item = {"kind": "legislation", "date": "2024-03-01", "instruments": [rule]}
    nodes = records_to_nodes(_record(item), Linker(load_reference(example_data, LAWS)))
    (minted,) = nodes.new_entities
    assert isinstance(minted, Instrument)
    assert minted.based_on == ["example-data-law", "example-data-law-article-2"]


def test_build_with_laws_conforms_and_an_ingest_links_to_the_stored_articles(
    example_data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    report = build(data_dir=example_data, out_dir=out, laws_dir=LAWS)
    assert report.validation is not None and report.validation.conforms, report.validation.text()
    assert report.class_counts["dlk:Article"] == 3 and report.class_counts["dlk:Version"] == 2
    text = _rows(
        run_local(
            out / "store", bind(load_query("article-text"), {"law": "law:example-data-law", "article": "2"}, None)
        )
    )
    assert text == [
        [
            "law:example-data-law/article/2",
            "2",
            "第二条",
            "1",
            "总则",
            "数据处理者应当妥善保管测试数据。\n前款所称测试数据，是指仅用于本项目测试的文字。",
            "law:example-data-law/version/2020-05-01",
        ]
    ]
    # As `kg ingest` does: the backbone read without the texts, plus the articles the store holds.
    backbone = load_backbone(example_data)
    backbone.parts += stored_articles(out / "store", backbone)
    item = {"kind": "enforcement", "date": "2024-03-05", "laws": ["Example Data Law Article 2"]}
    (graph,) = issue_graphs([_record(item)], backbone)
    cited = {str(o) for _, p, o in graph.graph if str(p).endswith("#cites")}
    assert cited == {"https://w3id.org/datalaw-kg/id/law/example-data-law/article/2"}


def test_ingest_knows_the_articles_the_store_holds(example_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(data_dir=example_data, out_dir=out, laws_dir=LAWS)
    backbone = load_reference(example_data)
    stored = stored_articles(out / "store", backbone)
    assert [(a.id, a.text_version) for a in stored] == [
        (f"example-data-law-article-{n}", "example-data-law-version-2020-05-01") for n in (1, 2, 3)
    ]
    backbone.parts += stored
    assert backbone.article_for("example-data-law", 2, dt.date(2024, 1, 1)) == "example-data-law-article-2"
    assert stored_articles(tmp_path / "no-store", backbone) == []


# The command line ----------------------------------------------------------------------------


def test_build_cli_reads_laws_and_says_so_in_help(
    example_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    assert "../shared/laws when it exists" in re.sub(r"\s+", " ", capsys.readouterr().out)
    args = ["build", "--data", str(example_data), "--out", str(tmp_path / "out")]
    assert main([*args, "--laws", str(LAWS)]) == EXIT_OK
    assert re.search(r"dlk:Article\s+3\b", capsys.readouterr().out)
    assert main([*args, "--no-laws"]) == EXIT_OK
    assert "dlk:Article" not in capsys.readouterr().out


@pytest.mark.parametrize("case", ["missing folder", "bad file", "unknown title"])
def test_build_cli_exits_2_on_bad_laws_with_one_clear_line(
    case: str, fixture_data: Path, example_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laws = tmp_path / "laws"
    data = example_data
    if case == "bad file":
        laws.mkdir()
        (laws / "bad.md").write_text(EXAMPLE.read_text(encoding="utf-8").replace("第三条", "第四条"), encoding="utf-8")
    elif case == "unknown title":
        shutil.copytree(LAWS, laws)
        data = tmp_path / "plain"
        shutil.copytree(FIXTURES / "reference", data)
    out = tmp_path / "out"
    assert main(["build", "--data", str(data), "--out", str(out), "--laws", str(laws)]) == EXIT_ERROR
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kg build: error: "), err
    assert {
        "missing folder": "law texts folder not found",
        "bad file": "bad.md:18:",
        "unknown title": "example-data-law.md:2:",
    }[case] in err[0]
    assert not out.exists()


# The named queries on the query fixture -----------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "version"),
    [
        ("2017-05-31", None),
        ("2017-06-01", "law:csl/version/2016-11-07"),
        ("2025-12-31", "law:csl/version/2016-11-07"),
        ("2026-01-01", "law:csl/version/2025-10-28"),
    ],
)
def test_in_force_on_answers_the_version_of_the_day(
    query_store: Path, linker: Linker, date: str, version: str | None
) -> None:
    rows = _rows(run_local(query_store, bind(load_query("in-force-on"), {"date": date, "law": "CSL"}, linker)))
    assert [row[2] for row in rows] == ([version] if version else [])


def test_in_force_on_leaves_out_what_was_repealed_by_then(query_store: Path, linker: Linker) -> None:
    query = load_query("in-force-on")
    before = _rows(
        run_local(query_store, bind(query, {"date": "2021-08-31", "law": "instrument:fixture-old-rules"}, linker))
    )
    after = _rows(
        run_local(query_store, bind(query, {"date": "2021-09-01", "law": "instrument:fixture-old-rules"}, linker))
    )
    assert [row[0] for row in before] == ["instrument:fixture-old-rules"] and after == []


def test_articles_cited_most_narrows_to_one_law(query_store: Path, linker: Linker) -> None:
    query = load_query("articles-cited-most")
    assert [row[0] for row in _rows(run_local(query_store, bind(query, {"law": "PIPL"}, linker)))] == [
        "law:pipl/article/38"
    ]
    assert _rows(run_local(query_store, bind(query, {"law": "CSL"}, linker))) == []


def test_article_text_without_a_number_gives_every_article_in_order(query_store: Path, linker: Linker) -> None:
    rows = _rows(run_local(query_store, bind(load_query("article-text"), {"law": "CSL"}, linker)))
    assert [(row[0], row[2], row[6]) for row in rows] == [
        ("law:csl/article/37", "第三十七条", "law:csl/version/2016-11-07")
    ]


# The real statute texts (../shared/laws) ----------------------------------------------------------


@needs_shared_laws
def test_the_four_statutes_read_into_their_articles() -> None:
    backbone = load_backbone_with_laws()
    counts: dict[str, int] = {}
    for part in backbone.parts:
        if isinstance(part, Article):
            counts[part.part_of] = counts.get(part.part_of, 0) + 1
            assert part.text and part.title and part.chapter and part.chapter_title
    assert counts == {"csl": 79, "dsl": 55, "network-data-security-regulations": 64, "pipl": 74}
    csl_37 = next(p for p in backbone.parts if isinstance(p, Article) and p.id == "csl-article-37")
    assert csl_37.title == "第三十七条" and csl_37.text_version == "csl-version-2016-11-07"
    assert backbone.article_for("csl", 37, dt.date(2025, 12, 31)) == "csl-article-37"
    assert backbone.article_for("csl", 37, dt.date(2026, 1, 1)) is None  # the 2025 amendment renumbered


def load_backbone_with_laws():  # type: ignore[no-untyped-def]
    from kg.resources import resource_dir

    return load_reference(resource_dir("data"), SHARED_LAWS)


@needs_shared_laws
def test_the_bundled_build_with_the_statutes_conforms_and_answers(tmp_path: Path, linker: Linker) -> None:
    report = build(out_dir=tmp_path, laws_dir=SHARED_LAWS)
    assert report.validation is not None and report.validation.conforms, report.validation.text()
    assert report.class_counts["dlk:Article"] == 272
    store = tmp_path / "store"
    in_force = load_query("in-force-on")
    for date, version in (("2025-12-31", "law:csl/version/2016-11-07"), ("2026-01-01", "law:csl/version/2025-10-28")):
        rows = _rows(run_local(store, bind(in_force, {"date": date, "law": "CSL"}, linker)))
        assert [row[2] for row in rows] == [version]
    text = _rows(run_local(store, bind(load_query("article-text"), {"law": "PIPL", "article": "38"}, linker)))
    assert text[0][2] == "第三十八条" and text[0][4] and "个人信息" in text[0][5]


@needs_shared_laws
def test_the_readme_commands_on_versions_and_articles_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import shlex

    readme = (TESTS.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- laws-commands -->", 1)[1].split("<!-- /laws-commands -->", 1)[0]
    commands = [line for line in block.splitlines() if line.startswith("kg ")]
    assert len(commands) >= 5
    # A working directory with ../shared/laws beside it, as in a checkout next to the shared folder.
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "laws").symlink_to(SHARED_LAWS)
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    outputs = []
    for command in commands:
        assert main(shlex.split(command, comments=True)[1:]) == EXIT_OK, command
        outputs.append(capsys.readouterr().out)
    assert "dlk:Article" in outputs[0] and "272" in outputs[0]
    assert "law:csl/version/2016-11-07" in outputs[1] and "law:csl/version/2025-10-28" in outputs[2]
