"""Chinese forms the fact readers share: numerals written in characters.

Chinese copy writes article numbers and terms in characters ("第六十六条", "有期徒刑三年"); the
readers of articles and penalties turn them into numbers here.
"""

from __future__ import annotations

__all__ = ["NUMERAL", "numeral_value"]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}

#: A number written in characters or digits, as a regular expression.
NUMERAL = r"[零〇一二两三四五六七八九十百千\d]+"


def numeral_value(text: str) -> int | None:
    """The value of a number written in Chinese characters or in digits; 万 and 亿 scale what precedes them.

    >>> numeral_value("六十六"), numeral_value("十二"), numeral_value("一百零五"), numeral_value("38")
    (66, 12, 105, 38)
    >>> numeral_value("五十万"), numeral_value("一亿二千万")
    (500000, 120000000)
    """
    if text.isdigit():
        return int(text)
    for mark, scale in (("亿", 100_000_000), ("万", 10_000)):
        if mark in text:
            high, _, low = text.partition(mark)
            head = numeral_value(high) if high else 1
            tail = numeral_value(low) if low else 0
            return None if head is None or tail is None else head * scale + tail
    return _below_ten_thousand(text)


def _below_ten_thousand(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:
            return None
    total += digit or 0
    return total or None
