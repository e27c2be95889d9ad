"""Penalties imposed or awarded (or claimed), with amounts normalised: ``RMB 16.74 million`` is 16740000.

Example:
    >>> parse_amount("RMB 16.74 million")
    Decimal('16740000')

"""

from __future__ import annotations

import re
from decimal import Decimal

from kg.newsletter.facts.chinese import NUMERAL, numeral_value
from kg.newsletter.records import PenaltyRecord

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_NUMBER_WORDS.update({"a": 1, "an": 1, "half a": 0})
_SCALE = {
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "k": 1_000,
    "m": 1_000_000,
    "mln": 1_000_000,
    "bln": 1_000_000_000,
    "bn": 1_000_000_000,
}
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_CURRENCY = r"(?:RMB|CNY|yuan|Yuan|USD|US\$|U\.S\. dollars|US dollars|dollars|\$|¥)"
_SCALES = r"thousand|million|billion|mln|bln|bn"
_MONEY = re.compile(
    rf"(?:(?P<cur1>{_CURRENCY})\s*(?P<n1>{_NUM})(?:\s*(?P<s1>{_SCALES})\b)?"
    rf"|(?P<n2>{_NUM})(?:\s*(?P<s2>{_SCALES})\b)?\s*(?P<cur2>{_CURRENCY}))"
)
# An amount given again in another currency: "100,000 yuan ($14,042)", "RMB 50 million (about 6.95 million
# U.S. dollars)", "… or about $7 million". It is the same penalty, not a second one.
_CONVERTED_FROM = re.compile(
    r"\d[\d,.]*\s*(?:(?:thousand|million|billion|mln|bln|bn)\s+)?(?:[A-Za-z]{3,12}\s+)?[A-Za-z€£]{1,12}\s*[(（]\s*"
    r"(?:about|approximately|approx\.?|roughly|around|some|nearly|c\.|~)?\s*$",
    re.IGNORECASE,
)
_CONVERSION = re.compile(
    r"(?:[(（\[]\s*(?:about|approximately|approx\.?|roughly|around|equivalent to|or|some|nearly|almost|~|c\.)?"
    r"|\b(?:or|about|approximately|roughly|equivalent to|i\.e\.)(?:\s+about)?)\s*$",
    re.IGNORECASE,
)
_SPAN = re.compile(
    rf"\b(?P<n>{_NUM}|{'|'.join(sorted(_NUMBER_WORDS, key=len, reverse=True))})[\s-]+"
    r"(?P<unit>day|month|year)s?(?:'|’)?\b",
    re.IGNORECASE,
)


def parse_amount(text: str) -> Decimal | None:
    """Normalise an amount as written: ``RMB 16.74 million`` → 16740000, ``106,859.84 RMB`` → 106859.84."""
    m = re.search(rf"({_NUM})\s*({_SCALES})?", text)
    if not m:
        return None
    value = Decimal(m.group(1).replace(",", ""))
    if m.group(2):
        value *= _SCALE[m.group(2)]
    return _plain(value)


def _plain(value: Decimal) -> Decimal:
    # Plain notation: xsd:decimal has no exponent, so 1.674E+7 must not reach the graph.
    return Decimal(int(value)) if value == value.to_integral_value() else value


def _number(word: str) -> Decimal | None:
    word = word.lower()
    if word in _NUMBER_WORDS:
        return Decimal(_NUMBER_WORDS[word]) or None
    return parse_amount(word)


# A range or a ceiling is what a rule provides, not what was imposed.
_PROVISION = re.compile(
    r"(?:not (?:less|more) than|up to|at most|no more than|ranging|between|maximum of|as high as)\s*$"
    # "a maximum fine of", "raises the cap on fines to": what a rule allows.
    r"|\b(?:maximum|highest|cap(?:ped)?|ceiling)\b(?:\s+\S+){0,3}?\s+(?:of|to|at)\s*$",
    re.IGNORECASE,
)
_CLAIM = re.compile(r"\b(?:claim|claimed|claiming|demand|demanded|demanding|sought|seeking|asked for|sues?|sued)\b")


_CLAUSE_END = re.compile(r"(?:;|(?<!\bLtd)(?<!\bCo)(?<!\bInc)(?<!\bCorp)(?<!\bNo)(?<!\bSt)\.)\s")


# What makes a span no term served: an age ("28-year-old"), a reprieve or probation after it.
_NOT_A_TERM = re.compile(r"[\s-]*(?:old\b|reprieve|probation|suspen)", re.IGNORECASE)
# Two spans of one term: "three years and one month".
_JOINED_TERM = re.compile(r"\s*(?:and|,)\s*")


def _clause_before(text: str, start: int, limit: int = 120) -> str:
    # The clause an amount sits in; "Co., Ltd." ends a company's name, not the clause.
    window = text[max(0, start - limit) : start]
    ends = list(_CLAUSE_END.finditer(window))
    return window[ends[-1].end() :] if ends else window


def extract_penalties(text: str) -> list[PenaltyRecord]:
    """Fines, confiscations, damages, detention and prison terms imposed (or claimed) in ``text``."""
    found: list[PenaltyRecord] = []
    last_end = -100
    for m in _MONEY.finditer(text):
        previous_end, last_end = last_end, m.end()
        if m.start() - previous_end <= 30 and _CONVERSION.search(text, max(0, m.start() - 25), m.start()):
            continue
        if _CONVERTED_FROM.search(text, max(0, m.start() - 50), m.start()):
            continue  # "1 million (Norwegian) kroner ($98,500)": the same amount in dollars, of a currency not recorded
        if m.group("cur1") == "$" and m.start() > 0 and text[m.start() - 1].isalpha():
            continue  # "S$", "HK$", "NT$": another dollar, a currency the graph does not record
        before = _clause_before(text, m.start())
        if _PROVISION.search(before.rstrip()) or re.search(r"\bbut\s*$", before):
            continue
        after = text[m.end() : m.end() + 40]
        amount = parse_amount(re.sub(r"US\$|\$|U\.S\. dollars|US dollars|dollars", "", m.group(0)))
        if amount is None or amount <= 0:
            continue
        currency = m.group("cur1") or m.group("cur2")
        unit = "USD" if currency in ("USD", "US$", "$", "U.S. dollars", "US dollars", "dollars") else "CNY"
        context = before.lower()
        kind = None
        if re.search(r"\b(?:as|in)\s+(?:public[- ]interest\s+)?(?:damages|compensation)", after.lower()):
            kind = "damages"
        else:
            hits = [
                (context.rfind(word), label)
                for word, label in (
                    ("fine", "fine"),
                    ("fined", "fine"),
                    ("penalty of", "fine"),
                    ("confiscat", "confiscation"),
                    ("illegal gains", "confiscation"),
                    ("damages", "damages"),
                    ("compensat", "damages"),
                    ("pay", "damages"),
                )
            ]
            hits = [h for h in hits if h[0] >= 0]
            if hits:
                kind = max(hits)[1]
        if kind is None:
            continue
        claimed = kind == "damages" and bool(_CLAIM.search(text[max(0, m.start() - 160) : m.start()]))
        found.append(PenaltyRecord(type=kind, amount=amount, unit=unit, claimed=claimed))
    spans = list(_SPAN.finditer(text))
    for k, m in enumerate(spans):
        context = text[max(0, m.start() - 80) : m.end() + 40].lower()
        unit = m.group("unit").lower()
        amount = _number(m.group("n"))
        if amount is None or amount <= 0:
            continue
        if _NOT_A_TERM.match(text, m.end()) or _PROVISION.search(_clause_before(text, m.start()).rstrip()):
            continue  # "a 28-year-old officer", "a one-year reprieve", "for up to three years"
        if (
            k
            and unit == "month"
            and spans[k - 1].group("unit").lower() == "year"
            and _JOINED_TERM.fullmatch(text, spans[k - 1].end(), m.start())
        ):
            continue  # the months of "three years and one month", counted with its years
        if (
            k + 1 < len(spans)
            and unit == "year"
            and spans[k + 1].group("unit").lower() == "month"
            and _JOINED_TERM.fullmatch(text, m.end(), spans[k + 1].start())
            and (months := _number(spans[k + 1].group("n"))) is not None
        ):
            amount, unit = amount * 12 + months, "month"  # "three years and one month" is 37 months
        if "detention" in context or "detained" in context:
            kind = "detention"
        elif (
            re.search(r"prison|imprison|sentenced|jail", context)
            and "suspend" not in text[m.end() : m.end() + 25].lower()
        ):
            kind = "imprisonment"
        else:
            continue
        if kind == "imprisonment" and re.search(
            r"(?:disqualified|banned|prohibited)", text[max(0, m.start() - 60) : m.start()].lower()
        ):
            continue
        found.append(PenaltyRecord(type=kind, amount=amount, unit=unit))
    found += _chinese_penalties(text)
    unique: list[PenaltyRecord] = []
    for penalty in found:
        if penalty not in unique:
            unique.append(penalty)
    return unique


# Chinese copy: "罚款50万元", "处以罚款人民币100万元", "没收违法所得3万元", "赔偿经济损失1万元",
# "行政拘留5日", "有期徒刑三年". An amount followed by 以下/以上/以内 is a range a rule provides.
_MONEY_ZH = re.compile(
    rf"(?:人民币)?(?:(?P<n>{_NUM})\s*(?P<scale>万|亿)?|(?P<chars>[零〇一二两三四五六七八九十百千万亿]+))元(?!以下|以上|以内)"
)
_KIND_ZH = (("罚款", "fine"), ("罚金", "fine"), ("没收", "confiscation"), ("赔偿", "damages"), ("赔付", "damages"))
_CLAIM_ZH = re.compile(r"诉请|请求|要求|主张")
_TERM_ZH = re.compile(rf"(?P<kind>行政拘留|拘留|有期徒刑)(?P<n>{NUMERAL})(?P<unit>日|天|个月|月|年)")


def _chinese_penalties(text: str) -> list[PenaltyRecord]:
    """Fines, confiscations, damages, detention and prison terms written in Chinese."""
    found: list[PenaltyRecord] = []
    for m in _MONEY_ZH.finditer(text):
        before = text[max(0, m.start() - 20) : m.start()]
        hits = [(before.rfind(word), kind) for word, kind in _KIND_ZH if word in before]
        if not hits or "最高" in before or "不超过" in before:
            continue
        kind = max(hits)[1]
        if m.group("chars"):
            value = numeral_value(m.group("chars"))
            if value is None:
                continue
            amount = Decimal(value)
        else:
            scale = {"万": 10_000, "亿": 100_000_000}.get(m.group("scale") or "", 1)
            amount = Decimal(m.group("n").replace(",", "")) * scale
        amount = _plain(amount)
        claimed = kind == "damages" and bool(_CLAIM_ZH.search(text[max(0, m.start() - 40) : m.start()]))
        found.append(PenaltyRecord(type=kind, amount=amount, unit="CNY", claimed=claimed))
    for m in _TERM_ZH.finditer(text):
        number = numeral_value(m.group("n"))
        if number is None or "缓刑" in text[m.end() : m.end() + 4]:
            continue
        unit = {"日": "day", "天": "day", "个月": "month", "月": "month", "年": "year"}[m.group("unit")]
        kind = "imprisonment" if m.group("kind") == "有期徒刑" else "detention"
        found.append(PenaltyRecord(type=kind, amount=Decimal(number), unit=unit))
    return found
