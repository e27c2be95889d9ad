"""Hostile input: generated and mutated newsletters and saved pages never crash the extractor.

Hypothesis drives seeded generators that write texts from the pieces real issues are made of (headlines, dated paragraphs,
footnote markers and lists, numbered and "Headline:" items, date lines, furniture, Chinese text,
stray digits and markup) and mutates the layout fixtures (cuts, repeats, swaps, inserted bytes).
Every one must either give records that map to graph nodes, or raise the project's own error:
nothing else, never a traceback. The seed is fixed (``derandomize``); ``KG_FUZZ_SCALE`` runs more of them (``bench/fuzz_newsletters.py`` does, for a long run).
"""

from __future__ import annotations

import functools
import os
import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import KGError
from kg.events import records_to_nodes
from kg.ingest import load_backbone
from kg.newsletter.extract import Extractor
from kg.newsletter.link import Linker
from kg.newsletter.segment import parse_text

FIXTURES = Path(__file__).parent / "fixtures"
# Saved pages are mutated by the page generator below; these are the plain-text and Markdown layouts.
SEEDS = sorted(
    [
        *(FIXTURES / "layouts").glob("*.txt"),
        *(FIXTURES / "newsletters").glob("*.txt"),
        *(FIXTURES / "newsletters").glob("*.md"),
    ]
)
SEED_TEXTS = [p.read_text(encoding="utf-8", errors="replace") for p in SEEDS]

#: How many times the suite's 10,000 examples to run (``bench/fuzz_newsletters.py`` runs more).
SCALE = float(os.environ.get("KG_FUZZ_SCALE", "1"))

_PIECES = [
    "LEGISLATION",
    "Enforcement Cases",
    "Regulator Issues Rules on App Data",
    "CAC Fines Platform RMB 5 Million for Leaks",
    "On 3 May 2023, the Cyberspace Administration of China issued the Measures for Data Export, effective 1 June.",
    "On May 7, MIIT named 12 apps; the Shanghai Municipal Public Security Bureau detained two men for 10 days.",
    "The Beijing Internet Court ordered the operator to pay RMB 3,000 (about $420) in damages under Art 24 PIPL.",
    "1. Ministry publishes draft standard on data grading",
    "2) Court jails data broker",
    "Ministry of State Security: Foreign Firms Map Roads: On October 16, the ministry warned firms.",
    "30 September 2024",
    "Posted on Sept. 6, 2024",
    "Continue Reading A Title of a Post",
    "Rules take effect on 20 August 2021",
    "Order No.15 of the ministry 7",
    "the scope of the rules.12",
    "1 https://example.org/a",
    "[2] www.example.org/b",
    "3. Source: https://example.org/c.",
    "Greetings from Beijing! I hope you are well.",
    "Home > News > Data",
    "Share Tweet Email",
    "date 2023-09-07 Title of the story",
    "摘要:网络数据安全管理条例",
    "网络安全法第三十八条规定",
    "《个人信息保护法》",
    "(Newswire) 13:09, September 07, 2023",
    "Cyberspace Administration of Cyberspace Administration of of the the",
    "People's Court of People's Court",
    "Measures (Draft for Comments) (the “Measures”) (《办法》)",
    "RMB 0 and 0 days of detention and 99999999999999999999 yuan",
    "Article 0 of the PIPL, Articles 1, 2 and 999 of the DSL",
]
_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?()[]{}<>\"'“”’–—-/\\|#*_&%$¥€@\t数据安全法第条《》、。\u200b\ufeff\u00a0"


def _noise(rng: random.Random) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 40)))


def _piece(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.7:
        return rng.choice(_PIECES)
    if roll < 0.85:
        return _noise(rng)
    words = [rng.choice(_PIECES).split()[0] for _ in range(rng.randint(1, 8))]
    return " ".join(words) + rng.choice(["", ".", ":", " 3", ".4"])


def generated(seed: int) -> str:
    """A text made of the pieces real issues are made of, in any order, with any line breaks."""
    rng = random.Random(seed)
    breaks = ["\n", "\n\n", " ", "\r\n", "\n\n\n", "\f"]
    return "".join(_piece(rng) + rng.choice(breaks) for _ in range(rng.randint(0, 25)))


def mutated(seed: int) -> str:
    """A real fixture, cut, repeated, shuffled or with bytes inserted."""
    rng = random.Random(seed)
    text = rng.choice(SEED_TEXTS)
    for _ in range(rng.randint(1, 4)):
        if not text:
            break
        i = rng.randint(0, len(text))
        j = rng.randint(i, min(len(text), i + 400))
        how = rng.choice(["cut", "repeat", "insert", "swap", "truncate"])
        if how == "cut":
            text = text[:i] + text[j:]
        elif how == "repeat":
            text = text[:j] + text[i:j] + text[j:]
        elif how == "insert":
            text = text[:i] + _piece(rng) + text[i:]
        elif how == "swap":
            text = text[i:j] + text[:i] + text[j:]
        else:
            text = text[:i]
    return text


def page(seed: int) -> str:
    """A saved page: pieces in headings, paragraphs, lists and tables, some tags broken."""
    rng = random.Random(seed)
    tags = [
        "h1",
        "h2",
        "h3",
        "p",
        "li",
        "td",
        "div",
        "span",
        "b",
        "sup",
        "a href='https://example.org/x'",
        "script",
        "br",
    ]
    body = []
    for _ in range(rng.randint(0, 20)):
        tag = rng.choice(tags)
        name = tag.split()[0]
        closing = rng.choice([f"</{name}>", "", f"</{name}", "<"])
        body.append(f"<{tag}>{_piece(rng)}{closing}")
    wrapper = rng.choice(["<html><body>{}</body></html>", "<!DOCTYPE html><article>{}", "{}", "<ol>{}</ol>"])
    return wrapper.format("\n".join(body))


_SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


def _settings(examples: int) -> settings:
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


def _read(text: str, name: str, linker: Linker) -> None:
    try:
        issue = parse_text(text, name)
        record = Extractor(linker).extract(issue)
        records_to_nodes(record, linker)
    except KGError:
        return


@functools.cache
def _linker() -> Linker:
    # Not a fixture: a failing example then prints only its seed, not the whole backbone.
    return Linker(load_backbone(None))


@_settings(4000)
@given(seed=_SEEDS)
def test_generated_newsletters_give_records_or_an_input_error(seed: int) -> None:
    _read(generated(seed), "generated.txt", _linker())


@_settings(3500)
@given(seed=_SEEDS)
def test_mutated_real_layouts_give_records_or_an_input_error(seed: int) -> None:
    _read(mutated(seed), "mutated.txt", _linker())


@_settings(2500)
@given(seed=_SEEDS)
def test_broken_saved_pages_give_records_or_an_input_error(seed: int) -> None:
    _read(page(seed), "page.html", _linker())
