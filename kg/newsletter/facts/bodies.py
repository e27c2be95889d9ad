"""Bodies the backbone does not know yet: local courts, procuratorates, police, regulators' branches.

They are found by the shape of their names ("Hailin City Public Security Bureau", "People's Court of
Bole"), so a body first named in the news still becomes a node, awaiting curation.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator

from kg.newsletter.link import PLAIN_TYPOGRAPHY, Linker, Mention, kind_of

_CAP = r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?"
_PLACE = rf"{_CAP}(?:\s{_CAP})?"
_LEVEL = r"(?:Municipal|Provincial|City|County|District|Prefecture|Autonomous Prefecture)"
# A city's courts of one level told apart by number: "Beijing No 4 Intermediate …", "… First Intermediate …".
_NUMBERED = r"(?:No\.?\s?\d{1,2}|First|Second|Third|Fourth|Fifth)"
_UNKNOWN_BODY_PATTERNS = [
    # A court or procuratorate named by its level alone, then its seat: "the Intermediate People's Court
    # in Hangzhou" is Hangzhou's (the name is put in the usual order, and linked, below).
    (
        "court",
        re.compile(
            rf"\b(?:Intermediate|Higher|High|Basic|Primary|Internet|Maritime|Financial)\s+People's\s+Court\s+in\s+{_PLACE}"
            r"(?=(?:\s+(?:city|City))?\b)"
        ),
    ),
    (
        "court",
        re.compile(
            rf"\b(?:{_PLACE}\s)?(?:{_PLACE}\s)?(?:{_NUMBERED}\s)?(?:{_LEVEL}\s)?(?:Intermediate\s|High\s|Internet\s)?People's Court"
            rf"(?:\sof\s{_PLACE}(?:\s{_LEVEL})?)?"
        ),
    ),
    (
        "court",
        re.compile(
            rf"\b(?:{_PLACE}\s)?{_PLACE}\s(?:District|County|City|Intermediate|Internet)\s(?:People's\s)?Court\b(?:\s(?:in|of)\s{_PLACE}(?:\s{_LEVEL})?)?"
        ),
    ),
    (
        "authority",
        re.compile(
            rf"\b(?:{_PLACE}\s)?(?:{_PLACE}\s)?(?:{_LEVEL}\s)?(?:People's )?Procuratorate(?:\sof\s{_PLACE}(?:\s{_LEVEL})?)?"
        ),
    ),
    (
        "authority",
        re.compile(
            rf"\b(?:{_PLACE}\s)?(?:{_LEVEL}\s)?Public Security (?:Bureau|Department)(?:\sof\s{_PLACE}(?:\s{_LEVEL})?)?(?:\sof\s{_PLACE}\sProvince)?"
        ),
    ),
    (
        "authority",
        re.compile(
            rf"\b(?:{_PLACE}\s)?(?:{_LEVEL}\s)?Cyberspace Administration(?:\sof\s{_PLACE}(?:\s(?:Province|Municipality))?)?"
        ),
    ),
    ("authority", re.compile(rf"\b(?:{_PLACE}\s)?(?:{_LEVEL}\s)?Administration for Market Regulation\b")),
    ("authority", re.compile(rf"\b{_PLACE}\s(?:{_LEVEL}\s)?(?:{_CAP}\s(?:and\s)?){{1,4}}Bureau\b")),
    (
        "authority",
        re.compile(rf"\b{_PLACE}\sBranch of the People's Bank of China|People's Bank of China\s{_PLACE}\sBranch"),
    ),
    (
        "authority",
        re.compile(
            rf"\bStanding Committee of (?:the\s)?(?:\w+\s)?{_PLACE}\s(?:Provincial\s|Municipal\s)?People's Congress"
        ),
    ),
]
_KEY_WORDS = (
    "Court",
    "Procuratorate",
    "Public Security",
    "Cyberspace Administration",
    "Market Regulation",
    "Bureau",
    "Branch",
    "Standing Committee",
)


def _key_words(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """The word a text must hold for ``pattern`` to match in it (None: no such word known)."""
    words = tuple(word for word in _KEY_WORDS if word in pattern.pattern)
    return words[:1] or None


_KEY_WORD = {pattern.pattern: words for _, pattern in _UNKNOWN_BODY_PATTERNS if (words := _key_words(pattern))}

_HEAD = (
    r"(?:Commission|Committee|Administration|Ministry|Bureau|Office|Center|Centre|Council|Agency|Department|Authority|"
    r"Commissioner|Inspectorate|Procuratorate|Court|Congress|Institute|Tribunal|Regulator|Government)"
)
_WORD = r"[A-Z][\w'&-]*"
_NAME_WORD = r"(?![A-Z]{2,}\b)[A-Z][\w'&-]*"  # a word of a name, not an acronym naming another body
_OF_PHRASE = (
    rf"\s+(?:of|for|on|in)\s+(?:the\s+)?(?:\d+(?:st|nd|rd|th)\s+)?{_WORD}"
    rf"(?:\s+(?:(?:(?:of|for|on|in)(?:\s+the)?|and|&)\s+)?{_NAME_WORD}){{0,7}}"
)
# Any named public body: capitalised words and a head noun ("Australian Competition and Consumer
# Commission"), or a head noun and what it is of ("Office of the Privacy Commissioner for Personal Data").
_HEAD_AT = re.compile(rf"\b{_HEAD}\b")
_TOKEN = re.compile(r"[^\s,;:()\[\]\"“”]+")
_CONNECTOR = frozenset({"of", "for", "and", "on", "in", "&"})
_ACRONYM = re.compile(r"[A-Z]{2,}\d*")


# A word that ends a sentence: not an initial ("U.S.") nor a short abbreviation ("St.", "No.").
_ENDS_SENTENCE = re.compile(r"(?!(?:[A-Z]\.)+$)(?!(?:St|No|Co|Dr|Mr|Ms|Mrs|Jr)\.$)\S+[a-z]\.")


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and _ACRONYM.fullmatch(word) is None


class _AnyBody:
    """Any named public body, found from its head noun outwards, in one pass over the text.

    To the left: capitalised words ("Australian Competition and Consumer Commission"); to the
    right: what it is of ("Office of the Privacy Commissioner for Personal Data"). A name never
    runs over a line break, an acronym naming another body ("… and the SAMR"), or a lower-case word.
    """

    @staticmethod
    def finditer(text: str) -> Iterator[tuple[int, str]]:
        for head in _HEAD_AT.finditer(text):
            line_start = text.rfind("\n", 0, head.start()) + 1
            line_end = text.find("\n", head.end())
            line_end = len(text) if line_end < 0 else line_end
            left = [m for m in _TOKEN.finditer(text, max(line_start, head.start() - 160), head.start())]
            start = head.start()
            taken = 0
            for m in reversed(left):
                word = m.group(0)
                gap = text[m.end() : start]
                if gap.strip() or taken >= 8 or _ENDS_SENTENCE.fullmatch(word):
                    break  # "… Privacy Commissioner. The Commissioner …": a name never runs over a sentence's end
                if (
                    _is_name_word(word)
                    or (word in _CONNECTOR and word != "and")
                    or (word == "and" and start < head.start() and _is_name_word(text[start : head.start()].split()[0]))
                ):
                    start, taken = m.start(), taken + 1
                else:
                    break
            while start < head.start() and text[start:].split(" ", 1)[0] in _CONNECTOR:
                start = text.index(" ", start) + 1
            end = head.end()
            right = _TOKEN.finditer(text, head.end(), min(line_end, head.end() + 200))
            words: list[tuple[int, str]] = []
            for m in right:
                if text[end if not words else words[-1][0] : m.start()].strip():
                    break
                words.append((m.end(), m.group(0)))
                if len(words) > 12:
                    break
            # "of the …", "for …": only then does the name go on past its head noun.
            if words and words[0][1] in ("of", "for", "on", "in"):
                k = 1
                if k < len(words) and words[k][1] == "the":
                    k += 1
                if k < len(words) and re.fullmatch(r"\d+(?:st|nd|rd|th)", words[k][1]):
                    k += 1
                last = None
                while k < len(words):
                    word = words[k][1]
                    if _is_name_word(word) or (word[:1].isupper() and last is None):
                        last = k
                    elif word == "in" and last is not None:
                        break  # "… for Personal Data in Hong Kong": where the body sits, not its name
                    elif word in ("of", "for", "on", "in", "the", "and", "&"):
                        pass
                    elif re.fullmatch(r"\d+(?:st|nd|rd|th)", word) and words[k - 1][1].endswith(("'s", "’s")):
                        pass  # "… of China's 14th National People's Congress": a term of the body, after its owner
                    else:
                        break
                    k += 1
                if last is not None:
                    end = words[last][0]
            if start == head.start() and end == head.end():
                continue
            yield start, text[start:end]


_ANY_BODY = _AnyBody()
_COMPANY_WORDS = re.compile(r"\b(?:Co\.|Ltd|Inc|LLC|Group|Corporation|Corp|Holdings|Company)\b")
# Words of an instrument's title or a headline's verb: "Measures for the Administration of …",
# "… Commission Publishes …" are not a body's name.
_NOT_A_NAME = re.compile(
    r"\b(?:Measures|Regulations?|Provisions|Procedures|Rules|Guidelines?|Laws?|Standards?|Specifications?|Notice|"
    r"Opinions|Plan|Interim|Implementation|Publish(?:es)?|Issues?|Releases?|Seeks?|Announces?|Launch(?:es)?|Solicits?|"
    r"Requests?|Adopts?|Approves?|Unveils?|Imposes?|Fines?|Orders?|Reports?|Names|Calls?|Cases?|Typical|Promulgat\w*)\b"
    # Right before a head noun such a word is part of the name: "… Security Report Center", "Law Committee".
    rf"(?!\s+{_HEAD}\b)"
)
# A possessive or a label before a name: "China's State Administration …", "January Singapore …".
_LEADING_OWNER = re.compile(
    r"^(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+)?"
    r"(?:[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?['’]s\s+)"
)
_SECOND_BODY = re.compile(rf"\s+and\s+(?:the\s+)?(?:{_WORD}\s+){{0,5}}{_HEAD}\b")


_HEAD_WORD = re.compile(rf"\b{_HEAD}\b")
_TITLE_BEFORE = re.compile(r"\b(?:for|on|of|to|in)\s+(?:the\s+)?$")
_COURT_WORD = re.compile(r"\bCourt\b")


def _trim(surface: str) -> str:
    """A name without a second body joined to it ("X Administration and the Y Administration")."""
    second = _SECOND_BODY.search(surface)
    head = _HEAD_WORD.search(surface)
    if second is not None and head is not None and second.start() > head.end() - 1:
        return surface[: second.start()]
    return surface


_GENERIC_HEADS = re.compile(
    r"^(?:the\s)?(?:People's Court|Court|Procuratorate|People's Procuratorate|Bureau|Public Security Bureau|"
    r"Standing Committee|Administration|Commission|Committee|Ministry|Office|Department|Authority|Agency)$",
    re.IGNORECASE,
)
_LEADING_NOISE = re.compile(r"^(?:The|In|On|At|By|From|As|And|Recently|However|Meanwhile|Then)\s")
#: A lower-case word before a name that makes it a kind of body, not one body: "the local
#: Cyberspace Administration", "the competent Public Security Bureau" (unless the name has a place).
_KIND_NOT_NAME = re.compile(r"\b(?:local|provincial|municipal|relevant|competent|respective|various|other|several)\s+$")


def _bare_head(surface: str, linker: Linker) -> bool:
    """Whether an unknown name is one word and a head noun, the word no place nor level of government.

    "Trump Administration", "Senate Committee", "Privacy Commissioner" are a government, a chamber's
    committee or an office named loosely, not a body's name; "Hailin Government", "European
    Commission" and "Federal Court" are bodies of a place or a level.
    """
    words = surface.split()
    if len(words) != 2 or not _HEAD_WORD.fullmatch(words[1]) or _PLACE_WORD.fullmatch(words[0]):
        return False
    return linker.place_pattern is None or linker.place_pattern.fullmatch(words[0]) is None


# A place's adjective ("European", "Japanese", "British", "Israeli") or a level of government.
_PLACE_WORD = re.compile(
    r"[A-Z][a-z]+(?:an|ese|ish|i)|Federal|National|State|Central|Municipal|Provincial|Regional|Joint|Supreme"
)


def canonical_body_name(name: str) -> str:
    """An unknown body's name in the usual English order: ``Public Security Bureau of Hailin City`` → ``Hailin City Public Security Bureau``."""
    name = re.sub(r"\s+", " ", name).strip()
    m = re.match(r"^(?P<place>\w+) Branch of the (?P<parent>.+)$", name)
    if m:
        return f"{m.group('parent')} {m.group('place')} Branch"
    m = re.match(r"^(?P<body>.+?) (?:of|in) (?P<place>[A-Z][\w ]+?)$", name)
    if m and not name.startswith("Standing Committee"):
        return f"{m.group('place')} {m.group('body')}"
    return name


def unknown_bodies(text: str, known: list[Mention], linker: Linker) -> tuple[list[Mention], list[Mention]]:
    """Bodies named in ``text`` beyond what the linker found; returns (known mentions, new ones).

    Specific shapes come first (a city's court, a police bureau, a bank's branch), then any named
    body. A name the backbone knows under another spelling or translation ("Cyber Administration of
    China", "Standing Committee of China's National People's Congress") links to it, exactly or by
    :meth:`~kg.newsletter.link.Linker.fuzzy`; one it does not know is new. A body named as part of a
    longer one ("the NPC Standing Committee" in "Legislative Affairs Commission of the NPC Standing
    Committee") gives way to it.
    """
    plain = text.translate(PLAIN_TYPOGRAPHY)
    known = list(known)
    found: list[Mention] = []
    # Each shape is looked for only where its key word is: most items name few bodies.
    found_by: list[tuple[str, Iterable[tuple[int, str]]]] = [
        (kind, ((m.start(), m.group(0)) for m in pattern.finditer(plain)))
        for kind, pattern in _UNKNOWN_BODY_PATTERNS
        if _KEY_WORD.get(pattern.pattern) is None or any(word in plain for word in _KEY_WORD[pattern.pattern])
    ]
    found_by.append(("any", _ANY_BODY.finditer(plain)))
    for kind, matches in found_by:
        for start, surface in matches:
            while (noise := _LEADING_NOISE.match(surface)) is not None:
                start += noise.end()
                surface = surface[noise.end() :]
            surface = _trim(surface)
            if kind == "any" and (owner := _LEADING_OWNER.match(surface)) is not None:
                start += owner.end()
                surface = surface[owner.end() :]
            if _GENERIC_HEADS.match(surface) or len(surface.split()) < 2 or _COMPANY_WORDS.search(surface):
                continue
            if _KIND_NOT_NAME.search(plain, max(0, start - 16), start) and (
                linker.place_pattern is None or linker.place_pattern.search(surface) is None
            ):
                continue
            if kind == "any" and _NOT_A_NAME.search(surface):
                continue
            if kind == "any" and _HEAD_AT.match(surface) and _TITLE_BEFORE.search(plain, max(0, start - 12), start):
                continue  # "… Procedures for the Administration of …": a title's words, not a body
            if plain[start + len(surface) : start + len(surface) + 1].isalpha():
                continue  # "… Cyberspace Administrations": a word cut short, not a name
            end = start + len(surface)
            if any(f.start < end and start < f.end for f in found):
                continue
            overlapping = [k for k in known if k.start < end and start < k.end]
            contains_all = all(start <= k.start and k.end <= end for k in overlapping)
            head = _HEAD_WORD.search(surface)
            if kind == "any" and head is not None and any(k.start <= start + head.start() < k.end for k in overlapping):
                continue  # "… Cases of Beijing Haidian District People's Court": the known body is the name
            if overlapping and (not contains_all or any(k.start == start and k.end == end for k in overlapping)):
                continue
            entity = linker.resolve(canonical_body_name(surface), ("authority", "court"), fuzzy=False)
            entity = entity or linker.resolve(surface, ("authority", "court"), fuzzy=False) or linker.fuzzy(surface)
            if entity is not None:
                for k in overlapping:
                    known.remove(k)
                known.append(Mention(start, end, text[start:end], kind_of(entity), entity.id, entity.name_en))
                continue
            if kind == "any":
                if overlapping and not any(k.start > start for k in overlapping):
                    continue  # "CAC Special Office": the known body leads; keep it
                kind_here = "court" if _COURT_WORD.search(surface) else "authority"
                if kind_here == "authority" and _bare_head(surface, linker):
                    continue
            else:
                kind_here = kind
                # "Shanghai Branch of the People's Bank of China" is the branch, not the bank it contains.
                if overlapping and " Branch" not in surface:
                    continue
            for k in overlapping:
                known.remove(k)
            found.append(Mention(start, end, text[start:end], kind_here, None, canonical_body_name(surface)))
    return sorted(known, key=lambda k: k.start), _short_forms_as_named(found)


def _short_forms_as_named(found: list[Mention]) -> list[Mention]:
    """A new body named again short, by its place and head noun, is the one named in full.

    "the Fujian Administration" after "Fujian Provincial Communications Administration" is that body.
    """
    named = []
    for mention in found:
        words = mention.name.split()
        full = next(
            (
                other
                for other in found
                if len(words) == 2
                and len(other.name.split()) > 2
                and other.name.split()[0] == words[0]
                and other.name.split()[-1] == words[-1]
            ),
            None,
        )
        named.append(dataclasses.replace(mention, name=full.name) if full is not None else mention)
    return named
