"""Link names in newsletter text to the reference backbone.

A :class:`Linker` knows every name of every curated entity: English names,
abbreviations, alternative translations and Chinese names. It finds them in
text (longest match first), resolves a name to its entity, learns abbreviations
an issue defines (``National Computer Virus Emergency Response Center ("CVERC")``),
tolerates a one-letter slip in an abbreviation (``MITT`` for ``MIIT``), and mints
a deterministic id for a body it has never seen, so re-extraction gives the same IRI.

Example:
    >>> from kg.reference import load_reference
    >>> from kg.resources import resource_dir
    >>> linker = Linker(load_reference(resource_dir("data")))
    >>> linker.resolve("PIPL").name_en
    'Personal Information Protection Law'
    >>> linker.resolve("MITT", kinds=("authority",)).id
    'miit'

"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from kg.models import Authority, Court, Instrument, Jurisdiction, Named, Rank
from kg.newsletter.facts.titles import HEAD_RE
from kg.reference import ReferenceData

KINDS = ("authority", "court", "law", "instrument", "jurisdiction")

_ORDINAL = (
    r"(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth)"
)
# "the Standing Committee of the Fifth Chongqing People's Congress": the term number is not part of the body's name.
_CONGRESS_TERM = re.compile(rf"\b{_ORDINAL}\s+(?=(?:[\w'’-]+\s+){{0,4}}people's congress)", re.IGNORECASE)
_DRAFT_SUFFIX = re.compile(r"\s*\((?:[^()]*\bdraft\b[^()]*|trial(?: implementation)?)\)\s*$", re.IGNORECASE)
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-", "－": "-"})
#: The same, one character for one, so positions found in the plain text hold in the original.
PLAIN_TYPOGRAPHY = str.maketrans(
    {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-", "－": "-", "\u00a0": " "}
)
#: How alike (rapidfuzz token-set ratio, 0-100) an unknown body's name must be to a backbone name to
#: be taken for it ("Cyber Administration of China"), places and head nouns agreeing as well.
FUZZY_THRESHOLD = 90
_HEAD_NOUNS = re.compile(
    r"\b(commission|committee|administration|ministry|bureau|office|cent(?:er|re)|council|agency|department|authority|"
    r"commissioner|inspectorate|procuratorate|court|congress|institute|tribunal|regulator|government|branch|bank)\b"
)
#: Short capitalised tokens that are words, currencies or media, not misspelt abbreviations.
_NOT_ABBREVIATIONS = frozenset(
    {"APP", "APPS", "RMB", "USD", "CNY", "CCTV", "ID", "IT", "AI", "IOT", "GB", "VIP", "CEO", "QR", "SMS", "PDF", "IP"}
)


def kind_of(entity: Named) -> str:
    """The linking kind of an entity: authority, court, law, instrument or jurisdiction."""
    if isinstance(entity, Court):
        return "court"
    if isinstance(entity, Authority):
        return "authority"
    if isinstance(entity, Jurisdiction):
        return "jurisdiction"
    if isinstance(entity, Instrument):
        return "law" if entity.rank is Rank.LAW else "instrument"
    return "party"


@lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """The comparison key of a name: case, quotes, dashes, spacing, 'the', draft suffixes and term numbers folded.

    >>> normalize("the Standing Committee of the Fifth Chongqing People’s Congress")
    "standing committee of the chongqing people's congress"
    >>> normalize("Beijing No 4 Intermediate Court") == normalize("Beijing No. 4 Intermediate Court")
    True
    """
    text = unicodedata.normalize("NFKC", name).translate(_QUOTES)
    text = _DRAFT_SUFFIX.sub("", text)
    text = _CONGRESS_TERM.sub("", text)
    # "the Standing Committee of China's National People's Congress" is "… of the National …".
    text = re.sub(r"\bof (?:China|the PRC|PRC)'s ", "of the ", text, flags=re.IGNORECASE)
    text = re.sub(r"\bNo\.?\s*(?=\d)", "No.", text)  # "No 4", "No. 4", "No.4": one number
    text = re.sub(r"\s+", " ", text).strip(" .,;:\"'").casefold()
    return re.sub(r"^the ", "", text)


def slugify(name: str) -> str:
    """A readable, deterministic id for a name (ASCII words joined by '-').

    A name in Chinese characters has no ASCII words to read: it gets ``zh-`` and a digest of the
    name, so two such names never share an id.

    >>> slugify("Hailin City Public Security Bureau")
    'hailin-city-public-security-bureau'
    >>> slugify("个人信息出境认证办法") != slugify("网络数据安全管理条例")
    True
    """
    key = normalize(name)
    ascii_text = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.replace("'s", "s")).strip("-")
    if len(slug) > 80:
        slug = slug[:81].rsplit("-", 1)[0]
    if re.search(f"[{CJK}]", key):
        digest = hashlib.blake2b(key.encode(), digest_size=5).hexdigest()
        slug = f"{slug[:60].rstrip('-')}-zh-{digest}" if slug else f"zh-{digest}"
    return slug or "unnamed"


def _edit_distance_one(a: str, b: str) -> bool:
    # Damerau distance exactly one: a substitution, an insertion/deletion or a swap of neighbours.
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _alike(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    if a == b or (len(a) >= 4 and (b.startswith(a) or a.startswith(b))):
        return True
    # "Technology" for "Technical": a shared stem of five letters, or a one-letter slip.
    return (len(a) >= 6 and len(b) >= 6 and a[:5] == b[:5]) or fuzz.ratio(a, b) >= 85


def trie_pattern(words: Iterable[str]) -> str:
    """One regular expression matching any of ``words``, longest first, built as a trie.

    A plain alternation of hundreds of names tries each in turn at every position;
    the trie shares prefixes, so matching stays fast as the backbone grows.

    >>> re.fullmatch(trie_pattern(["CAC", "CAAC", "CA"]), "CAAC") is not None
    True
    """
    return _trie_pattern(tuple(words))


# A process linking issue after issue builds the same patterns from the same backbone each time
# (a fifth of one issue's ingest); ``re`` keeps the compiled patterns of the same text.
@lru_cache(maxsize=16)
def _trie_pattern(words: tuple[str, ...]) -> str:
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


@dataclass(frozen=True)
class Mention:
    """A name found in text, and the entity it names (``entity_id`` is None for an unknown one)."""

    start: int
    end: int
    surface: str
    kind: str
    entity_id: str | None
    name: str

    def overlaps(self, other: Mention) -> bool:
        """True when the two mentions share a character."""
        return self.start < other.end and other.start < self.end


# Words a translation adds or drops without changing which text it names.
_TITLE_FILLER = frozenset(
    {
        "the",
        "of",
        "for",
        "on",
        "in",
        "and",
        "to",
        "a",
        "an",
        "administrative",
        "administration",
        "management",
        "managing",
        "governing",
        "concerning",
        "regarding",
        "people's",
        "republic",
        "china",
        "prc",
    }
)


@lru_cache(maxsize=8192)
def title_words(title: str) -> frozenset[str] | None:
    """An instrument title as the set of its words that any translation keeps, each in one form; None if too short.

    The head noun (:data:`~kg.newsletter.facts.titles.HEADS`) is kept as the title's kind, in one
    number; 规定 reaches English as "Provisions" and as "Regulations", so those are one kind (two
    texts on one subject under both names make their words ambiguous, and then neither is chosen).

    >>> title_words("Measures for the Administration of Compliance Audits on Personal Information Protection") == (
    ...     title_words("Administrative Measures for Personal Information Protection Compliance Audit"))
    True
    """
    heads = [m.group(0).split()[-1].lower().rstrip("s") for m in HEAD_RE.finditer(title)]
    kinds = {"provision" if head == "regulation" else head for head in heads}
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", HEAD_RE.sub(" ", title).replace("’", "'"))]
    content = {
        w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w
        for w in words
        if w not in _TITLE_FILLER
    }
    if len(kinds) != 1 or len(content) < 3:
        return None  # the kind decides between texts on one subject; two words name too little
    return frozenset(content | kinds)


#: The CJK ideographs (unified, extension A, compatibility), as the inside of a character class.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


@dataclass
class Linker:
    """Names → entities, over the reference backbone plus what one issue teaches it."""

    backbone: ReferenceData
    learned: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.entities: dict[str, Named] = {entity.id: entity for entity in self.backbone}
        self._by_key: dict[str, set[str]] = defaultdict(set)
        self._abbreviations: dict[str, set[str]] = defaultdict(set)
        for entity in self.backbone:
            for name in entity.labels():
                self._by_key[normalize(name)].add(entity.id)
            for abbreviation in entity.abbreviations:
                self._abbreviations[abbreviation].add(entity.id)
        names = {
            name
            for entity in self.backbone
            if kind_of(entity) != "jurisdiction"
            for name in (entity.name_en, *entity.alt_names_en, *entity.alt_names_zh, entity.name_zh or "")
            if len(name) > 3 or (len(name) == 3 and re.fullmatch(f"[{CJK}]+", name))  # 工信部 is a name
        }
        for alias, entity_id in self._branch_aliases():
            if not self._by_key.get(normalize(alias)):
                self._by_key[normalize(alias)].add(entity_id)
                names.add(alias)
        self._fuzzy_cache: dict[tuple[str, tuple[str, ...]], Named | None] = {}
        places = sorted({place.name_en for place in self.backbone.of_type(Jurisdiction) if place.id != "china"})
        #: Every place the backbone knows, by its English name, as one pattern.
        self.place_pattern = re.compile(rf"(?<!\w)(?:{trie_pattern(places)})(?!\w)") if places else None
        self.places_by_name = {place.name_en: place for place in self.backbone.of_type(Jurisdiction)}
        self._fuzzy_labels: list[tuple[str, str]] = [
            (normalize(label), entity.id)
            for entity in self.backbone
            if kind_of(entity) in ("authority", "court")
            for label in (entity.name_en, *entity.alt_names_en)
        ]
        self._place_tokens = frozenset(
            token
            for entity in self.backbone
            if isinstance(entity, Jurisdiction)
            for label in entity.labels()
            for token in _significant_tokens(label)
        )
        # One Chinese title reaches English in several translations; the same words in another
        # order or another form of the same head noun name the same text.
        self._by_title_words: dict[frozenset[str], set[str]] = defaultdict(set)
        for entity in self.backbone:
            if kind_of(entity) in ("instrument", "law"):
                for label in (entity.name_en, *entity.alt_names_en):
                    if (words := title_words(label)) is not None:
                        self._by_title_words[words].add(entity.id)
        # Chinese is written without spaces: a name in Chinese may touch the characters around it
        # ("工信部通报…"); only a letter or digit of another script joined to it makes it part of a word.
        self._names_re = re.compile(
            rf"(?<![^\W{CJK}]|-)(?:{trie_pattern(sorted(names))})(?![^\W{CJK}]|-)", re.IGNORECASE
        )
        self._abbr_re = re.compile(rf"(?<![\w-])(?:{trie_pattern(sorted(self._abbreviations))})(?![\w-])")

    def _branch_aliases(self) -> Iterator[tuple[str, str]]:
        """How newsletters name a body's local branch: the place, then the parent's abbreviation ("Beijing CAC") or its national name."""
        for entity in self.backbone:
            if not isinstance(entity, Authority) or not entity.parent or not entity.jurisdiction:
                continue
            parent, place = self.entities.get(entity.parent), self.entities.get(entity.jurisdiction)
            if parent is None or place is None:
                continue
            places = {
                re.sub(r"\s+(?:Province|Municipality|City|Autonomous Region|Special Administrative Region)$", "", label)
                for label in (place.name_en, *place.alt_names_en)
            }
            for abbreviation in parent.abbreviations:
                for label in places:
                    yield f"{label} {abbreviation}", entity.id
            # A national body's name with its place for "State"/"National": "Zhejiang Internet Information
            # Office" (the State Internet Information Office's), "Hainan Administration for Market Regulation".
            for name in (parent.name_en, *parent.alt_names_en):
                if (national := re.match(r"(?:State|National)\s+(.+)$", name)) is not None:
                    for label in places:
                        for level in ("", "Province ", "Provincial ", "Municipal "):
                            yield f"{label} {level}{national.group(1)}", entity.id

    # Resolution -------------------------------------------------------------

    def fuzzy(self, name: str, kinds: tuple[str, ...] = ("authority", "court")) -> Named | None:
        """The body a misspelt or differently translated name stands for, or None.

        ``name`` must be at least :data:`FUZZY_THRESHOLD` alike (rapidfuzz token-set ratio) to one of
        the backbone's names, with the same places named and the same head noun ("Committee",
        "Court"…): "Cyber Administration of China" is the CAC, "Shanghai Municipal Public Security
        Bureau" is not Beijing's.
        """
        if (name, kinds) not in self._fuzzy_cache:
            self._fuzzy_cache[(name, kinds)] = self._fuzzy(name, kinds)
        return self._fuzzy_cache[(name, kinds)]

    def _fuzzy(self, name: str, kinds: tuple[str, ...]) -> Named | None:
        from rapidfuzz import fuzz, process

        key = normalize(name)
        if len(key.split()) < 3:
            return None
        heads = _HEAD_NOUNS.findall(key)
        places = _significant_tokens(name) & self._place_tokens
        candidates = [(label, i) for label, i in self._fuzzy_labels if kind_of(self.entities[i]) in kinds]
        for label, _score, index in process.extract(
            key, [label for label, _ in candidates], scorer=fuzz.token_set_ratio, score_cutoff=FUZZY_THRESHOLD, limit=5
        ):
            entity_id = candidates[index][1]
            if _HEAD_NOUNS.findall(label)[:1] != heads[:1]:
                continue
            if (_significant_tokens(label) & self._place_tokens) != places:
                continue
            # Every word of the name must be in the label, or a slip of one ("Cyber" for "Cyberspace"):
            # "National Data Security … Committee" is not the information security one.
            words = _significant_tokens(label)
            if not all(any(_alike(t, u) for u in words) for t in _significant_tokens(name)):
                continue
            return self.entities[entity_id]
        return None

    def with_abbreviations(self, learned: dict[str, str]) -> Linker:
        """A linker that also knows the abbreviations one issue defines (abbreviation → full name)."""
        view = Linker.__new__(Linker)
        view.__dict__.update(self.__dict__)
        view._fuzzy_cache = {}
        view.learned = {**self.learned, **learned}
        return view

    def _candidates(self, name: str) -> set[str]:
        if name in self.learned:
            name = self.learned[name]
        found = set(self._by_key.get(normalize(name), set()))
        if not found and name in self._abbreviations:
            found = set(self._abbreviations[name])
        return found

    def resolve(
        self, name: str, kinds: tuple[str, ...] = KINDS, *, draft: bool = False, fuzzy: bool = True
    ) -> Named | None:
        """The one entity of the given kinds that ``name`` names, or None (unknown or ambiguous).

        A draft and its final text often share a title; ``draft`` says which of the two is meant.
        ``fuzzy`` forgives a one-letter slip in an abbreviation (newsletters misspell them).
        """
        ids = {i for i in self._candidates(name) if kind_of(self.entities[i]) in kinds}
        if not ids and ("instrument" in kinds or "law" in kinds) and (words := title_words(name)) is not None:
            ids = {i for i in self._by_title_words.get(words, ()) if kind_of(self.entities[i]) in kinds}
        if len(ids) > 1:
            ids = self._draft_or_final(ids, draft)
        # A slip is forgiven in abbreviations of four letters or more: three ("CST", a time zone, against
        # "CSL") leave too little to tell a slip from another word.
        if fuzzy and not ids and re.fullmatch(r"[A-Z][A-Za-z]{3,7}", name) and name.upper() not in _NOT_ABBREVIATIONS:
            ids = {
                i
                for abbreviation, owners in self._abbreviations.items()
                if len(abbreviation) >= 4 and _edit_distance_one(name, abbreviation)
                for i in owners
                if kind_of(self.entities[i]) in kinds
            }
        return self.entities[next(iter(ids))] if len(ids) == 1 else None

    def _draft_or_final(self, ids: set[str], draft: bool) -> set[str]:
        finals = {getattr(self.entities[i], "final_version", None) for i in ids} - {None}
        family = ids <= finals | {i for i in ids if getattr(self.entities[i], "final_version", None) in ids}
        if not family:
            return ids
        return {i for i in ids if (getattr(self.entities[i], "final_version", None) is not None) == draft}

    def canonical(self, name: str, kinds: tuple[str, ...] = KINDS) -> str:
        """The canonical English name for ``name``: the entity's, or the name itself if unknown."""
        entity = self.resolve(name, kinds)
        return entity.name_en if entity else name

    def same(self, kind: str, a: str, b: str) -> bool:
        """Whether two names denote the same entity of ``kind`` (aliases and abbreviations count)."""
        kinds = ("law", "instrument") if kind in ("law", "instrument") else (kind,)
        first, second = self.resolve(a, kinds), self.resolve(b, kinds)
        if first is not None and second is not None:
            return first.id == second.id
        known, other = (first, b) if first is not None else (second, a)
        if known is None:
            return self._same_unknown(_significant_tokens(a), _significant_tokens(b))
        # One spelling is not in the backbone: it names the same body if its distinctive words
        # are those of one of the known entity's names ("Hailin City …" for "Hailin Municipal …").
        tokens = _significant_tokens(other)
        return any(self._same_unknown(_significant_tokens(label), tokens) for label in known.labels())

    def _same_unknown(self, a: frozenset[str], b: frozenset[str]) -> bool:
        # Equal distinctive words, or equal but for the name of the city or province a body sits in
        # ("Xiaoshan District People's Court" and "Hangzhou Xiaoshan District People's Court").
        if a == b:
            return True
        small, large = (a, b) if len(a) < len(b) else (b, a)
        return bool(small) and small < large and (large - small) <= self._place_tokens

    def learn(self, text: str) -> dict[str, str]:
        """The abbreviations ``text`` defines, each mapped to the full name it stands for.

        Of the capitalised words before ``("ABBR")``, the name is the tail that names a
        known entity (preferring one that has this abbreviation); failing that, all of them.
        """
        learned: dict[str, str] = {}
        for abbreviation, words in abbreviation_definitions(text):
            tails = [" ".join(words[i:]) for i in range(len(words)) if words[i][:1].isupper()]
            known = [(tail, entity) for tail in tails if (entity := self.resolve(tail)) is not None]
            owning = [tail for tail, entity in known if abbreviation in entity.abbreviations]
            own = self.resolve(abbreviation, fuzzy=False)
            if owning:
                learned[abbreviation] = owning[0]
            elif known and (own is None or known[0][0] == tails[0] or own.id == known[0][1].id):
                learned[abbreviation] = known[0][0]
            elif own is not None and known:
                # "National Technical Committee 260 on … Standardization Administration of China (TC260)":
                # the known body is only the tail of a longer name; the acronym says whose name it is.
                learned[abbreviation] = own.name_en
            elif (entity := self.resolve(abbreviation, fuzzy=False)) is not None:
                # "the National Technical Committee on Cybersecurity Standardization ("TC260")": words the
                # backbone does not know, for an abbreviation it does: another translation of that body.
                learned[abbreviation] = entity.name_en
            else:
                learned[abbreviation] = " ".join(words)
        return learned

    # Finding names in text --------------------------------------------------

    def find(self, text: str, kinds: tuple[str, ...] = KINDS) -> list[Mention]:
        """Every known name in ``text`` (non-overlapping, longest first), with its entity."""
        mentions: list[Mention] = []
        text = text.translate(PLAIN_TYPOGRAPHY)
        for match in self._iter_matches(text):
            entity = self.resolve(match.group(0), kinds)
            if entity is not None:
                mention = Mention(
                    match.start(), match.end(), match.group(0), kind_of(entity), entity.id, entity.name_en
                )
                mentions.append(mention)
        for token in re.finditer(r"(?<![\w-])[A-Z][A-Za-z]{2,7}(?![\w-])", text):
            if any(m.start <= token.start() < m.end for m in mentions):
                continue
            word = token.group(0)
            if word in self.learned or (word.isupper() and word not in self._abbreviations):
                entity = self.resolve(word, kinds)
                if entity is not None:
                    mentions.append(
                        Mention(token.start(), token.end(), word, kind_of(entity), entity.id, entity.name_en)
                    )
        return _longest_first(mentions)

    def _iter_matches(self, text: str) -> Iterator[re.Match[str]]:
        yield from self._names_re.finditer(text)
        yield from self._abbr_re.finditer(text)


def _longest_first(mentions: list[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if not any(mention.overlaps(other) for other in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)


_STOP_TOKENS = frozenset(
    "the of in for and people's peoples people municipal city district county province provincial prefecture autonomous region court on to at by with &".split()  # noqa: SIM905
)


def _significant_tokens(name: str) -> frozenset[str]:
    # Two spellings of a body unknown to the backbone ("People's Court of Bole", "Bole City People's Court")
    # name the same body when their distinctive words agree.
    return frozenset(t for t in re.findall(r"[\w']+", normalize(name)) if t not in _STOP_TOKENS)


_DEFINITION = re.compile(r"\(\s*(?:[\"“”']([A-Z][A-Za-z0-9&-]{1,14})[\"“”']|([A-Z][A-Z0-9&]{1,9}))\s*\)")
_NAME_WORD = re.compile(r"(?:[A-Z][\w'’.&-]*|of|and|for|on|the|in|de|\(\w+\)|Co\.,|Ltd\.)$")


def abbreviation_definitions(text: str) -> Iterator[tuple[str, list[str]]]:
    """Each ``Full Name ("ABBR")`` in ``text``: the abbreviation and the capitalised words before it.

    The words may run further back than the name itself ("director of the Bureau of the Ministry"),
    so callers choose which tail of them is the name.

    >>> next(abbreviation_definitions('the National Data Administration ("NDA") said'))
    ('NDA', ['National', 'Data', 'Administration'])
    """
    for match in _DEFINITION.finditer(text):
        words = text[: match.start()].rstrip().split(" ")
        name: list[str] = []
        while words and _NAME_WORD.match(words[-1]):
            name.insert(0, words.pop())
        while name and name[0][:1].islower():
            name.pop(0)
        if name:
            yield match.group(1) or match.group(2), name
