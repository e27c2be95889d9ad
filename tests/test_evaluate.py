"""Scoring extracted records against gold annotations (kg.newsletter.evaluate)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.newsletter.evaluate import (
    FIELDS,
    FieldScore,
    Scores,
    default_same,
    load_gold,
    normalize_name,
    score_all,
    score_issue,
)
from kg.newsletter.records import IssueRecord, ItemRecord, PenaltyRecord

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "evaluate"
SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD_FILES = sorted((SHARED / "gold").glob("*.yaml")) if (SHARED / "gold").is_dir() else []
needs_shared = pytest.mark.skipif(not GOLD_FILES, reason="no ../shared/gold annotations here")

ALIASES = {
    ("authority", "SAMR Shanghai", "Shanghai Market Regulation Bureau"),
    ("law", "PIPL", "Personal Information Protection Law"),
}


def alias_same(kind: str, predicted: str, gold: str) -> bool:
    return (kind, predicted, gold) in ALIASES or default_same(kind, predicted, gold)


@pytest.fixture(scope="module")
def gold() -> IssueRecord:
    return load_gold(FIXTURES / "gold.yaml")


@pytest.fixture(scope="module")
def predicted() -> IssueRecord:
    return load_gold(FIXTURES / "predicted.yaml")


def counts(score: FieldScore) -> tuple[int, ...]:
    return (score.tp, score.fp, score.fn) if score.measure == "prf" else (score.correct, score.total)


def all_counts(scores: Scores) -> dict[str, tuple[int, ...]]:
    return {name: counts(score) for name, score in scores.fields.items()}


def issue(*items: ItemRecord) -> IssueRecord:
    return IssueRecord(newsletter="t.txt", items=list(items))


# --- the fixture pair: every rule at once -----------------------------------------------------------

EXPECTED_DEFAULT = {
    "items": (3, 1, 1),  # n=4 missing, n=9 extra
    "headline": (3, 4),  # n=1 equal after normalising typography, n=3 differs only in case (similar), n=4 missing
    "kind": (2, 4),  # n=2 matches kind_alt; n=3 wrong; n=4 missing
    "date": (2, 4),  # n=2 gives a day where the gold gives a month; n=4 missing
    "authorities": (1, 2, 2),  # "the CAC" matches; the optional State Council is neither; alias and extras miss
    "courts": (1, 0, 0),
    "laws": (1, 2, 1),  # the optional Criminal Law missed without penalty
    "parties": (1, 1, 0),  # n=3 predicts a party but its gold has no parties key
    "penalties": (3, 1, 0),  # 300000.00 == 300000; claimed damages missed without penalty
    "instruments": (1, 1, 0),  # the optional guideline is neither
    "instruments.status": (0, 1),
    "instruments.jurisdiction": (1, 1),
    "instruments.effective": (0, 1),  # a day where the gold gives a month
    "instruments.issuers": (1, 1),  # the optional issuer may be missed
    "instruments.implements": (0, 1),
}


def test_fixture_counts_with_default_same(predicted: IssueRecord, gold: IssueRecord) -> None:
    scores = score_issue(predicted, gold)
    assert all_counts(scores) == EXPECTED_DEFAULT
    assert (scores.items_found, scores.items_gold, scores.headlines_exact) == (3, 4, 2)


def test_same_callback_turns_aliases_into_matches(predicted: IssueRecord, gold: IssueRecord) -> None:
    scores = score_issue(predicted, gold, same=alias_same)
    assert counts(scores.fields["authorities"]) == (2, 1, 1)
    assert counts(scores.fields["laws"]) == (2, 1, 0)
    unchanged = {k: v for k, v in all_counts(scores).items() if k not in ("authorities", "laws")}
    assert unchanged == {k: v for k, v in EXPECTED_DEFAULT.items() if k not in ("authorities", "laws")}


def test_same_callback_gets_kind_then_predicted_then_gold(predicted: IssueRecord, gold: IssueRecord) -> None:
    calls: list[tuple[str, str, str]] = []

    def recording(kind: str, a: str, b: str) -> bool:
        calls.append((kind, a, b))
        return default_same(kind, a, b)

    score_issue(predicted, gold, same=recording)
    assert {kind for kind, _, _ in calls} == {"authority", "court", "law", "party", "instrument"}
    assert ("authority", "SAMR Shanghai", "Shanghai Market Regulation Bureau") in calls
    assert ("instrument", "regulations on deep synthesis", "Regulations on Deep Synthesis") in calls
    # '?' marks are stripped before the callback sees a name
    assert not any(a.startswith("?") or b.startswith("?") for _, a, b in calls)
    # issuers are authorities, implements are laws
    assert ("law", "Cybersecurity Law", "Cybersecurity Law") in calls


def test_every_error_is_one_miss(predicted: IssueRecord, gold: IssueRecord) -> None:
    scores = score_issue(predicted, gold)
    for name, score in scores.fields.items():
        misses = [m for m in scores.misses if m.field == name]
        wrong = score.fp + score.fn if score.measure == "prf" else score.total - score.correct
        assert len(misses) == wrong, name
    assert all(m.newsletter == "sample.txt" for m in scores.misses)


def test_misses_say_what_was_expected_and_got(predicted: IssueRecord, gold: IssueRecord) -> None:
    misses = {(m.n, m.field, m.expected, m.got) for m in score_issue(predicted, gold).misses}
    assert (4, "items", "NDRC Issues Opinions", None) in misses  # false negative item
    assert (9, "items", None, "Extra Item") in misses  # false positive item
    assert (9, "authorities", None, "Ministry of Commerce") in misses  # names of an extra item are false positives
    assert (4, "authorities", "National Development and Reform Commission", None) in misses
    assert (1, "laws", None, "Data Security Law") in misses
    assert (2, "date", "2022-01", "2022-01-10") in misses
    assert (3, "kind", "litigation", "enforcement") in misses
    assert (3, "penalties", None, "damages 1 CNY") in misses
    assert (1, "instruments.effective", "2022-03", "2022-03-01") in misses
    status = next(m for m in score_issue(predicted, gold).misses if m.field == "instruments.status")
    assert status.context == "Regulations on Deep Synthesis"
    assert not any(m.field == "parties" and m.n == 3 for m in score_issue(predicted, gold).misses)


# --- single rules ---------------------------------------------------------------------------------


def test_optional_names_neither_reward_nor_penalise() -> None:
    gold = issue(ItemRecord(n=1, headline="h", authorities=["A", "?B"]))
    found = score_issue(issue(ItemRecord(n=1, headline="h", authorities=["A", "B"])), gold)
    missed = score_issue(issue(ItemRecord(n=1, headline="h", authorities=["A"])), gold)
    assert counts(found.fields["authorities"]) == counts(missed.fields["authorities"]) == (1, 0, 0)
    assert not [m for m in found.misses + missed.misses if m.field == "authorities"]


def test_required_gold_name_wins_over_optional() -> None:
    # "X" may denote either gold name; it must count for the required one.
    gold = issue(ItemRecord(n=1, headline="h", laws=["?Optional Law", "Required Law"]))
    predicted = issue(ItemRecord(n=1, headline="h", laws=["X"]))
    scores = score_issue(predicted, gold, same=lambda kind, a, b: a == "X" or a == b)
    assert counts(scores.fields["laws"]) == (1, 0, 0)


def test_matching_is_one_to_one_and_maximal() -> None:
    gold = issue(ItemRecord(n=1, headline="h", authorities=["Alpha", "Beta"]))
    # P1 could denote either, P2 only Alpha: a greedy pass pairing P1 with Alpha would lose Beta.
    links = {("P1", "Alpha"), ("P1", "Beta"), ("P2", "Alpha")}
    predicted = issue(ItemRecord(n=1, headline="h", authorities=["P1", "P2"]))
    scores = score_issue(predicted, gold, same=lambda kind, a, b: (a, b) in links)
    assert counts(scores.fields["authorities"]) == (2, 0, 0)
    # One gold name matches at most one prediction: a second alias of it is a false positive.
    predicted = issue(ItemRecord(n=1, headline="h", authorities=["P1", "P2", "Alpha"]))
    scores = score_issue(predicted, issue(ItemRecord(n=1, headline="h", authorities=["Alpha"])), same=default_same)
    assert counts(scores.fields["authorities"]) == (1, 2, 0)


def test_claimed_penalties_are_optional() -> None:
    claimed = PenaltyRecord(type="damages", amount="1", unit="CNY", claimed=True)
    gold = issue(ItemRecord(n=1, headline="h", penalties=[claimed]))
    for predicted in ([], [PenaltyRecord(type="damages", amount="1.0", unit="CNY")]):
        scores = score_issue(issue(ItemRecord(n=1, headline="h", penalties=predicted)), gold)
        assert counts(scores.fields["penalties"]) == (0, 0, 0)


def test_penalties_compare_type_amount_and_unit() -> None:
    gold = issue(ItemRecord(n=1, headline="h", penalties=[PenaltyRecord(type="detention", amount="5", unit="day")]))
    for wrong in (
        PenaltyRecord(type="imprisonment", amount="5", unit="day"),
        PenaltyRecord(type="detention", amount="6", unit="day"),
        PenaltyRecord(type="detention", amount="5", unit="month"),
    ):
        scores = score_issue(issue(ItemRecord(n=1, headline="h", penalties=[wrong])), gold)
        assert counts(scores.fields["penalties"]) == (0, 1, 1)
    right = PenaltyRecord(type="detention", amount="5.00", unit="day")
    assert counts(score_issue(issue(ItemRecord(n=1, headline="h", penalties=[right])), gold).fields["penalties"]) == (
        1,
        0,
        0,
    )


def test_kind_alt_is_accepted() -> None:
    gold = issue(ItemRecord(n=1, headline="h", kind="litigation", kind_alt="enforcement"))
    for kind, ok in (("litigation", 1), ("enforcement", 1), ("policy", 0), (None, 0)):
        scores = score_issue(issue(ItemRecord(n=1, headline="h", kind=kind)), gold)
        assert counts(scores.fields["kind"]) == (ok, 1), kind


def test_dates_compare_as_written() -> None:
    gold = issue(ItemRecord(n=1, headline="h", date="2022-07"), ItemRecord(n=2, headline="h", date="2022-04-20"))
    exact = issue(ItemRecord(n=1, headline="h", date="2022-07"), ItemRecord(n=2, headline="h", date="2022-04-20"))
    finer = issue(ItemRecord(n=1, headline="h", date="2022-07-01"), ItemRecord(n=2, headline="h", date="2022-04"))
    assert counts(score_issue(exact, gold).fields["date"]) == (2, 2)
    assert counts(score_issue(finer, gold).fields["date"]) == (0, 2)


def test_parties_scored_only_where_gold_has_the_key() -> None:
    predicted = issue(ItemRecord(n=1, headline="h", parties=["Acme Co., Ltd."]))
    unannotated = issue(ItemRecord(n=1, headline="h"))
    annotated_empty = IssueRecord.model_validate(
        {"newsletter": "t.txt", "items": [{"n": 1, "headline": "h", "parties": []}]}
    )
    assert counts(score_issue(predicted, unannotated).fields["parties"]) == (0, 0, 0)
    assert counts(score_issue(predicted, annotated_empty).fields["parties"]) == (0, 1, 0)


def test_instrument_attributes_scored_on_matched_pairs_only() -> None:
    gold = issue(
        ItemRecord(
            n=1,
            headline="h",
            instruments=[
                {"title": "Measures", "status": "issued", "issuers": ["CAC", "?MIIT"], "implements": ["PIPL"]},
                {"title": "Unfound Plan", "status": "planned"},
            ],
        )
    )
    predicted = issue(
        ItemRecord(
            n=1,
            headline="h",
            instruments=[
                {"title": "Measures", "status": "issued", "issuers": ["CAC", "MIIT"], "implements": ["PIPL"]},
                {"title": "Stray Rules", "status": "draft"},
            ],
        )
    )
    scores = score_issue(predicted, gold)
    assert counts(scores.fields["instruments"]) == (1, 1, 1)
    for attribute in ("status", "jurisdiction", "effective", "issuers", "implements"):
        assert counts(scores.fields[f"instruments.{attribute}"]) == (1, 1), attribute
    # An extra issuer that is not even optional makes the issuers wrong.
    predicted.items[0].instruments[0].issuers.append("SAMR")
    assert counts(score_issue(predicted, gold).fields["instruments.issuers"]) == (0, 1)


def test_duplicate_predicted_item_is_a_false_positive() -> None:
    gold = issue(ItemRecord(n=1, headline="h"))
    predicted = issue(ItemRecord(n=1, headline="h"), ItemRecord(n=1, headline="again", laws=["Civil Code"]))
    scores = score_issue(predicted, gold)
    assert counts(scores.fields["items"]) == (1, 1, 0)
    assert counts(scores.fields["laws"]) == (0, 1, 0)


def test_gold_with_duplicate_numbers_is_refused() -> None:
    gold = issue(ItemRecord(n=1, headline="a"), ItemRecord(n=1, headline="b"))
    with pytest.raises(ValueError, match="n = 1"):
        score_issue(issue(), gold)


def test_nothing_to_score_is_perfect() -> None:
    scores = score_issue(issue(), issue())
    assert set(scores.fields) == set(FIELDS)
    for score in scores.fields.values():
        assert (score.accuracy if score.measure == "accuracy" else score.f1) == 1.0


def test_ratios() -> None:
    score = FieldScore(field="laws", tp=3, fp=1, fn=2)
    assert (score.precision, score.recall, score.f1) == (0.75, 0.6, pytest.approx(2 / 3))
    assert score.accuracy is None
    assert FieldScore(field="laws", tp=0, fp=1, fn=1).f1 == 0.0
    accuracy = FieldScore(field="kind", measure="accuracy", correct=3, total=4)
    assert (accuracy.accuracy, accuracy.precision) == (0.75, None)


def test_default_same_normalises_names() -> None:
    assert default_same("authority", "The  Cyberspace Administration of China", "cyberspace administration of china")
    assert default_same("court", "Beijing Chaoyang District People’s Court", "Beijing Chaoyang District People's Court")
    assert default_same("instrument", "Guidelines — Important Data", "guidelines - important data")
    assert not default_same("law", "PIPL", "Personal Information Protection Law")
    assert normalize_name("Theory of the Case") == "theory of the case"  # only the word "the" goes


# --- totals and output --------------------------------------------------------------------------


def test_score_all_sums_counts(predicted: IssueRecord, gold: IssueRecord) -> None:
    once = score_issue(predicted, gold)
    twice = score_all([(predicted, gold), (predicted, gold)])
    assert all_counts(twice) == {k: tuple(2 * c for c in v) for k, v in all_counts(once).items()}
    assert len(twice.misses) == 2 * len(once.misses)
    assert (twice.items_found, twice.items_gold, twice.headlines_exact) == (6, 8, 4)
    assert all_counts(score_all([])) == all_counts(score_issue(issue(), issue()))


def test_table_and_json(predicted: IssueRecord, gold: IssueRecord) -> None:
    scores = score_issue(predicted, gold)
    table = scores.table()
    lines = table.splitlines()
    assert lines[0].split()[:4] == ["field", "P", "R", "F1/acc"]
    for name in FIELDS:
        assert any(line.split()[0] == name for line in lines), name
    row = next(line for line in lines if line.startswith("laws "))
    assert row.split()[1:] == ["0.333", "0.500", "0.400", "1/2/1"]
    row = next(line for line in lines if line.startswith("kind "))
    assert row.split()[1:] == ["-", "-", "0.500", "2/4"]
    # columns line up: every row of the table body is as wide as the rule under the header
    body = lines[: len(FIELDS) + 2]
    assert len({len(line) for line in body}) == 1
    assert "items found 3/4, headlines exact 2/4" in table

    data = json.loads(json.dumps(scores.to_json()))
    assert data["fields"]["laws"]["precision"] == pytest.approx(1 / 3)
    assert data["fields"]["kind"]["accuracy"] == 0.5
    assert data["items_gold"] == 4
    assert len(data["misses"]) == len(scores.misses)


# --- loading gold ---------------------------------------------------------------------------------


def test_load_gold_reads_the_format(gold: IssueRecord) -> None:
    assert gold.newsletter == "sample.txt"
    assert [item.n for item in gold.items] == [1, 2, 3, 4]
    assert gold.items[1].date == "2022-01"
    assert gold.items[0].date == "2022-01-28"
    assert gold.items[0].instruments[0].effective == "2022-03"
    assert str(gold.items[2].penalties[1].amount) == "106859.84"
    # YAML splits an unquoted "Co., Ltd." in a flow list; load_gold mends it
    assert gold.items[1].parties == ["Example Tech Co., Ltd."]


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("bad-date.yaml", 5, "date"),
        ("duplicate-n.yaml", 5, "n = 1"),
        ("not-yaml.yaml", 5, "not valid YAML"),
        ("duplicate-key.yaml", 5, "headline"),
        ("not-a-mapping.yaml", 1, "mapping"),
        ("missing.yaml", None, "cannot read"),
    ],
)
def test_load_gold_reports_file_and_line(name: str, line: int | None, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        load_gold(FIXTURES / name)
    assert caught.value.path == FIXTURES / name
    assert caught.value.line == line


# --- the real gold --------------------------------------------------------------------------------


@needs_shared
@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_real_gold_scores_perfectly_against_itself(path: Path) -> None:
    gold = load_gold(path)
    scores = score_issue(gold, gold)
    assert scores.misses == []
    for name, score in scores.fields.items():
        assert (score.accuracy if score.measure == "accuracy" else score.f1) == 1.0, name
    assert scores.items_found == scores.items_gold == scores.headlines_exact == len(gold.items)


def required(names: list[str]) -> int:
    return sum(1 for name in names if not name.startswith("?"))


def changed(before: Scores, after: Scores) -> dict[str, tuple[int, ...]]:
    """Per field, the difference of the counts, for fields whose counts changed."""
    out = {}
    for name in FIELDS:
        a, b = counts(before.fields[name]), counts(after.fields[name])
        if a != b:
            out[name] = tuple(y - x for x, y in zip(a, b, strict=True))
    return out


Edit = Callable[[IssueRecord], None]


@needs_shared
@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_removing_an_item_costs_exactly_its_facts(path: Path) -> None:
    gold = load_gold(path)
    perfect = score_issue(gold, gold)
    # the item with the most instruments and penalties, so that most fields move
    victim = max(gold.items, key=lambda item: (len(item.instruments), len(item.penalties)))
    predicted = gold.model_copy(deep=True)
    predicted.items = [item for item in predicted.items if item.n != victim.n]
    scores = score_issue(predicted, gold)

    instruments = [i for i in victim.instruments if not i.title.startswith("?")]
    expected: dict[str, tuple[int, ...]] = {
        "items": (-1, 0, 1),
        "headline": (-1, 0),
        "kind": (-1, 0),
        "date": (-1, 0),
        "authorities": (-required(victim.authorities), 0, required(victim.authorities)),
        "courts": (-required(victim.courts), 0, required(victim.courts)),
        "laws": (-required(victim.laws), 0, required(victim.laws)),
        "penalties": (-sum(not p.claimed for p in victim.penalties), 0, sum(not p.claimed for p in victim.penalties)),
        "instruments": (-len(instruments), 0, len(instruments)),
    }
    if "parties" in victim.model_fields_set:
        expected["parties"] = (-required(victim.parties), 0, required(victim.parties))
    for attribute in ("status", "jurisdiction", "effective", "issuers", "implements"):
        expected[f"instruments.{attribute}"] = (-len(instruments), -len(instruments))
    assert changed(perfect, scores) == {k: v for k, v in expected.items() if any(v)}
    assert scores.items_found == len(gold.items) - 1
    # misses: one per false negative, one per newly wrong value (total - correct)
    assert len(scores.misses) == sum(v[2] if len(v) == 3 else v[1] - v[0] for v in expected.values())


@needs_shared
def test_removing_or_adding_a_name_moves_one_count() -> None:
    path = next((p for p in GOLD_FILES if p.name.startswith("000_")), GOLD_FILES[0] if GOLD_FILES else None)
    assert path is not None
    gold = load_gold(path)
    perfect = score_issue(gold, gold)
    item_index, item = next((i, it) for i, it in enumerate(gold.items) if required(it.authorities) >= 2)

    predicted = gold.model_copy(deep=True)
    removed = next(name for name in item.authorities if not name.startswith("?"))
    predicted.items[item_index].authorities.remove(removed)
    scores = score_issue(predicted, gold)
    assert changed(perfect, scores) == {"authorities": (-1, 0, 1)}
    assert [(m.n, m.field, m.expected, m.got) for m in scores.misses] == [(item.n, "authorities", removed, None)]

    predicted = gold.model_copy(deep=True)
    predicted.items[item_index].authorities.append("Ministry of Imaginary Affairs")
    assert changed(perfect, score_issue(predicted, gold)) == {"authorities": (0, 1, 0)}

    optional = next(
        ((i, it) for i, it in enumerate(gold.items) if len(it.authorities) > required(it.authorities)), None
    )
    if optional is not None:
        predicted = gold.model_copy(deep=True)
        index, opt_item = optional
        predicted.items[index].authorities = [n for n in opt_item.authorities if not n.startswith("?")]
        assert changed(perfect, score_issue(predicted, gold)) == {}

    # a wrong instrument status changes that accuracy alone
    index = next(i for i, it in enumerate(gold.items) if it.instruments)
    predicted = gold.model_copy(deep=True)
    instrument = predicted.items[index].instruments[0]
    instrument.status = "planned" if instrument.status != "planned" else "issued"
    assert changed(perfect, score_issue(predicted, gold)) == {"instruments.status": (-1, 0)}


@needs_shared
def test_real_gold_mends_company_names() -> None:
    parties = [name for path in GOLD_FILES for item in load_gold(path).items for name in item.parties]
    assert parties
    assert not [name for name in parties if name.strip().rstrip(".").casefold() in {"ltd", "co", "inc", "limited"}]


def test_a_headline_is_right_when_nearly_the_same_and_wrong_when_reworded() -> None:
    gold = issue(ItemRecord(n=1, headline="CAC Publishes Draft Measures on Facial Recognition Technology"))
    typo = issue(ItemRecord(n=1, headline="CAC Publishes Draft Measures on Facial Recognition Technolgy"))
    reworded = issue(ItemRecord(n=1, headline="CAC Releases Draft Rules for Face Recognition"))
    assert score_issue(typo, gold).fields["headline"].correct == 1
    assert score_issue(typo, gold).headlines_exact == 0
    assert score_issue(reworded, gold).fields["headline"].correct == 0


def test_the_item_a_partial_copy_cuts_off_is_neither_rewarded_nor_penalised() -> None:
    gold = IssueRecord(newsletter="x.txt", partial=True, items=[ItemRecord(n=1, headline="h", kind="policy")])
    predicted = issue(ItemRecord(n=1, headline="h", kind="policy"), ItemRecord(n=2, headline="cut", laws=["X Law"]))
    scores = score_issue(predicted, gold)
    assert counts(scores.fields["items"]) == (1, 0, 0)
    assert counts(scores.fields["laws"]) == (0, 0, 0)
    whole = score_issue(predicted, gold.model_copy(update={"partial": False}))
    assert counts(whole.fields["items"]) == (1, 1, 0)
