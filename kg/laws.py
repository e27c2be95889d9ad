r"""Official Chinese statute texts, read at build time into one node per article.

A law file is Markdown in the layout of the LawRefBook collection (``../shared/laws/*.md``):
an optional ``<!-- … -->`` source line, the title as ``# 中华人民共和国…法``, header lines
(``2021年8月20日 第十三届…会议通过``) up to ``<!-- INFO END -->``, chapters as
``## 第一章 总则`` (sections ``### 第一节 …``, parts ``# 第一编 …`` are allowed and not kept),
and one paragraph per article opening ``第N条`` followed by its text; further paragraphs
belong to the article before them. Article numbers are Chinese numerals (:func:`chinese_number`)
and must run 1, 2, 3… without a gap.

A file is matched to its backbone instrument by its Chinese title (``name_zh`` or one of
``alt_names_zh``, with or without the leading 中华人民共和国), never by its file name. The
texts are input data, read at run time: nothing here is written back to the repository.

Example:
    >>> text = "# 示例法\n\n## 第一章 总则\n\n第一条 本法用于测试。\n\n第二条 第二条的文字。\n\n第二款。\n"
    >>> law = parse_law_text(text, Path("example.md"))
    >>> law.title, [(a.number, a.chapter, a.text) for a in law.articles]
    ('示例法', [(1, 1, '本法用于测试。'), (2, 1, '第二条的文字。\n第二款。')])

"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.models import Article, Instrument, Version

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = "[零〇一二三四五六七八九十百千两0-9０-９]+"


def chinese_number(text: str) -> int:
    """The value of a Chinese numeral as article and chapter numbers are written (up to 9999).

    >>> chinese_number("七十四")
    74
    >>> chinese_number("十")
    10
    >>> chinese_number("十二")
    12
    >>> chinese_number("一百零一")
    101
    >>> chinese_number("一百一十")
    110
    >>> chinese_number("二百三十五")
    235
    >>> chinese_number("一千二百六十")
    1260
    >>> chinese_number("38")
    38
    >>> chinese_number("七四")
    Traceback (most recent call last):
    ...
    ValueError: '七四' is not a Chinese numeral: two digits with no unit between them
    >>> chinese_number("十百")
    Traceback (most recent call last):
    ...
    ValueError: '十百' is not a Chinese numeral: units must fall (千, 百, 十)
    """
    if text.isdigit():
        return int(text)  # Arabic digits, ASCII or full-width
    if not text:
        raise ValueError("an empty string is not a number")
    total, digit, last_unit = 0, None, 10_000
    for char in text:
        if char in _DIGITS:
            if digit is not None and digit != 0:
                raise ValueError(f"{text!r} is not a Chinese numeral: two digits with no unit between them")
            digit = _DIGITS[char]
        elif char in _UNITS:
            unit = _UNITS[char]
            if unit >= last_unit:
                raise ValueError(f"{text!r} is not a Chinese numeral: units must fall (千, 百, 十)")
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            raise ValueError(f"{text!r} is not a Chinese numeral: {char!r} is neither a digit nor a unit")
    return total + (digit or 0)


_CITATION_EN = re.compile(r"^(?P<law>.+?),?\s+(?:Article|Art\.?)\s*(?P<n>[1-9][0-9]*)$", re.IGNORECASE)
_CITATION_EN_OF = re.compile(r"^(?:Article|Art\.?)\s*(?P<n>[1-9][0-9]*)\s+of\s+(?:the\s+)?(?P<law>.+)$", re.IGNORECASE)
_CITATION_ZH = re.compile(rf"^(?P<law>.+?)第(?P<n>{_NUMERAL})条$")


def article_citation(name: str) -> tuple[str, int] | None:
    """The law and article number a citation names (``PIPL Article 38``), or None for a plain law name.

    >>> article_citation("Personal Information Protection Law Article 38")
    ('Personal Information Protection Law', 38)
    >>> article_citation("Article 37 of the Cybersecurity Law")
    ('Cybersecurity Law', 37)
    >>> article_citation("个人信息保护法第三十八条")
    ('个人信息保护法', 38)
    >>> article_citation("Data Security Law") is None
    True
    """
    text = name.strip()
    for pattern in (_CITATION_EN_OF, _CITATION_EN, _CITATION_ZH):
        found = pattern.match(text)
        if found:
            try:
                return found["law"].strip(), chinese_number(found["n"])
            except ValueError:
                return None
    return None


@dataclass(frozen=True)
class LawArticle:
    """One article as read: its number, heading as written, text, chapter, and the line it starts on."""

    number: int
    heading: str
    text: str
    chapter: int | None
    chapter_title: str | None
    line: int


@dataclass(frozen=True)
class LawText:
    """One statute file read: its title (and the line of it), the date its header gives, its articles."""

    path: Path
    title: str
    title_line: int
    dated: dt.date | None
    articles: tuple[LawArticle, ...]


_ARTICLE = re.compile(rf"^(第(?P<n>{_NUMERAL})条)(?:\s+(?P<rest>.*))?$")
_CHAPTER = re.compile(rf"^第(?P<n>{_NUMERAL})章\s*(?P<title>.*)$")
_OTHER_HEADING = re.compile(rf"^第{_NUMERAL}(?:编|分编|节)")
_HEADING = re.compile(r"^(?P<marks>#{1,6})\s+(?P<text>.*)$")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_COMMENT = re.compile(r"^<!--.*-->$")
_INFO_END = "<!-- INFO END -->"
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def _tidy(text: str) -> str:
    """Spaces between Chinese characters dropped (``总 则`` → ``总则``), other runs of space made one."""
    return _CJK_GAP.sub("", re.sub(r"\s+", " ", text.strip()))


@dataclass
class _OpenArticle:
    """The article being read: its paragraphs grow until the next heading or article."""

    number: int
    heading: str
    chapter: int | None
    chapter_title: str | None
    line: int
    paragraphs: list[str]

    def closed(self, path: Path) -> LawArticle:
        if not self.paragraphs:
            raise InputError(f"article {self.heading} has no text", path, self.line)
        text = "\n".join(self.paragraphs)
        return LawArticle(self.number, self.heading, text, self.chapter, self.chapter_title, self.line)


def parse_law_text(text: str, path: Path) -> LawText:
    """Read one law file's text; anything out of place is an :class:`InputError` naming ``path`` and the line."""
    title: str | None = None
    title_line = 0
    dated: dt.date | None = None
    in_header = True
    chapter: int | None = None
    chapter_title: str | None = None
    articles: list[LawArticle] = []
    current: _OpenArticle | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip().lstrip("\ufeff")
        if not line or _COMMENT.match(line):
            in_header = in_header and line != _INFO_END
            continue
        heading = _HEADING.match(line)
        if heading:
            words = _tidy(heading["text"])
            if len(heading["marks"]) == 1 and title is None and not _OTHER_HEADING.match(words):
                title, title_line = words, number
                continue
            if title is None:
                raise InputError("the first heading must be the title ('# 中华人民共和国…法')", path, number)
            in_header = False
            chapter_match = _CHAPTER.match(words)
            if chapter_match:
                if current is not None:
                    articles.append(current.closed(path))
                    current = None
                found, expected = _numeral(chapter_match["n"], path, number), (chapter or 0) + 1
                if found != expected:
                    raise InputError(
                        f"chapter {found} (第{chapter_match['n']}章) where chapter {expected} was expected",
                        path,
                        number,
                    )
                chapter, chapter_title = found, chapter_match["title"] or None
            elif not _OTHER_HEADING.match(words):
                raise InputError(f"unexpected heading {words!r}: expected 第N章, 第N节 or 第N编", path, number)
            continue
        if title is None:
            raise InputError("text before the title ('# 中华人民共和国…法')", path, number)
        article = _ARTICLE.match(line)
        if article:
            if current is not None:
                articles.append(current.closed(path))
            found = _numeral(article["n"], path, number)
            expected = articles[-1].number + 1 if articles else 1
            if found != expected:
                raise InputError(f"article {found} ({article[1]}) where article {expected} was expected", path, number)
            in_header = False
            rest = (article["rest"] or "").strip()
            current = _OpenArticle(found, article[1], chapter, chapter_title, number, [rest] if rest else [])
        elif in_header:
            found_dates = _DATE.findall(line)
            if found_dates:
                # Later header lines name later amendments: the text is that of the last one.
                try:
                    dated = dt.date(*map(int, found_dates[-1]))
                except ValueError as exc:
                    raise InputError(f"the header's date is not a date: {exc}", path, number) from exc
        elif current is None:
            raise InputError("text outside any article (a paragraph must follow a 第N条 line)", path, number)
        else:
            current.paragraphs.append(line)
    if current is not None:
        articles.append(current.closed(path))
    if title is None:
        raise InputError("no title: a law file opens with '# ' and the statute's Chinese title", path, 1)
    if not articles:
        raise InputError("no articles: expected paragraphs opening 第一条, 第二条, …", path, title_line)
    return LawText(path, title, title_line, dated, tuple(articles))


def _numeral(text: str, path: Path, line: int) -> int:
    try:
        return chinese_number(text)
    except ValueError as exc:
        raise InputError(str(exc), path, line) from exc


def read_law_file(path: Path) -> LawText:
    """One law file read and parsed (:func:`parse_law_text`); unreadable or not UTF-8 is an :class:`InputError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read law file: {exc}", path) from exc
    return parse_law_text(text, path)


def law_files(folder: Path) -> list[Path]:
    """The law files of a folder: every ``*.md`` but its README, sorted by name."""
    if not folder.is_dir():
        raise InputError("law texts folder not found", folder)
    return sorted(p for p in folder.glob("*.md") if not p.name.lower().startswith("readme"))


def _title_keys(title: str) -> set[str]:
    key = re.sub(r"\s+", "", title)
    return {key, key.removeprefix("中华人民共和国")}


def match_instruments(
    laws: Iterable[LawText], instruments: Iterable[Instrument], skipped: list[str] | None = None
) -> list[tuple[LawText, Instrument]]:
    """Each law text with the backbone instrument its Chinese title names.

    A title no instrument has, or that two share, and two files of one instrument, are
    :class:`InputError` naming the file and the line of its title; given a ``skipped`` list,
    a title that names no instrument, or several, is noted there instead and its file left out.
    """
    by_key: dict[str, set[str]] = {}
    known: dict[str, Instrument] = {}
    for instrument in instruments:
        known[instrument.id] = instrument
        for name in filter(None, (instrument.name_zh, *instrument.alt_names_zh)):
            for key in _title_keys(name):
                by_key.setdefault(key, set()).add(instrument.id)
    pairs: list[tuple[LawText, Instrument]] = []
    seen: dict[str, LawText] = {}
    for law in laws:
        ids = set().union(*(by_key.get(key, set()) for key in _title_keys(law.title)))
        if len(ids) != 1:
            problem = (
                f"the title {law.title!r} names several instruments: {', '.join(sorted(ids))}"
                if ids
                else f"no instrument of the backbone has the Chinese title {law.title!r} (name_zh or alt_names_zh)"
            )
            if skipped is None:
                raise InputError(problem, law.path, law.title_line)
            skipped.append(f"{InputError(problem, law.path, law.title_line)} (file skipped)")
            continue
        (instrument_id,) = ids
        if instrument_id in seen:
            raise InputError(
                f"{seen[instrument_id].path.name} is already the text of {instrument_id!r}", law.path, law.title_line
            )
        seen[instrument_id] = law
        pairs.append((law, known[instrument_id]))
    return pairs


def article_nodes(law: LawText, instrument: Instrument, versions: Iterable[Version] = ()) -> list[Article]:
    """One :class:`Article` per article of ``law``, part of ``instrument``.

    When the instrument has versions, the articles name the one whose date the file's header
    gives (``text_version``): an amendment may renumber articles.
    """
    text_version = next((v.id for v in versions if law.dated is not None and law.dated in (v.adopted, v.day)), None)
    return [
        Article(
            id=f"{instrument.id}-article-{a.number}",
            part_of=instrument.id,
            number=a.number,
            title=a.heading,
            text=a.text,
            chapter=a.chapter,
            chapter_title=a.chapter_title,
            text_version=text_version,
        )
        for a in law.articles
    ]


def read_laws(
    folder: Path, instruments: Iterable[Instrument], versions: Iterable[Version] = (), skipped: list[str] | None = None
) -> list[Article]:
    """Every article of every law file in ``folder``, matched to ``instruments`` by title (see :func:`match_instruments`)."""
    versions = list(versions)
    laws = [read_law_file(path) for path in law_files(folder)]
    if not laws:
        raise InputError("no law texts (*.md) in this folder", folder)
    nodes: list[Article] = []
    for law, instrument in match_instruments(laws, instruments, skipped):
        nodes += article_nodes(law, instrument, [v for v in versions if v.of == instrument.id])
    return nodes
