"""Page furniture: the parts of a saved newsletter that are not news.

Greetings, subscription notes, a re-posting site's abstract (``摘要``), bylines, breadcrumbs
(``Home > News >``), timestamps, share bars, "read more" links, disclaimers and copyright lines
are never items. :func:`furniture` names what a block is, or returns None for text that may be
news. The rules look at a block's shape and its own words only, so they hold for any publisher.

Example:
    >>> furniture("Home > News > Data protection")
    'breadcrumbs'
    >>> furniture("On 3 May the CAC fined an app operator RMB 1 million.") is None
    True
    >>> furniture("within Privacy topic(s)"), furniture("Delegates at a forum in Tianjin. [Photo/Xinhua]")
    ('audience note', 'caption')

"""

from __future__ import annotations

import re

__all__ = ["furniture", "heads_links_elsewhere", "is_disclaimer"]

_GREETING = re.compile(
    r"^(?:greetings|season'?s greetings|hello|hi|dear\s+\w+|good (?:morning|afternoon|evening)|welcome to)\b"
    r"|\b(?:I|we) hope (?:you|everyone|all of you)\b|\bhappy (?:new year|holidays?)\b",
    re.IGNORECASE,
)
_SUBSCRIPTION = re.compile(
    r"\b(?:subscribe|subscription|unsubscribe|sign up|mailing list|manage (?:your )?preferences"
    r"|view (?:this|it) in (?:your|a) browser|forward (?:this|to a friend)|click here|follow the links? below"
    r"|follow us|\[email\s*protected\]|contact (?:us|our team)|please contact|get in touch)\b",
    re.IGNORECASE,
)
_ABSTRACT = re.compile(r"^(?:摘要|摘 要|导读|Abstract|Editor'?s note|TL;DR)\s*[:：]", re.IGNORECASE)
_BYLINE = re.compile(
    r"^[*†]?\s*(?:by|author|authors|written by|posted by|posted|contributors?|reporter|editor"
    r"|(?:written|co-?written|co-?authored|prepared) (?:with (?:the )?(?:assistance|help) (?:of|from)|by))\s*[:：]?\s+\S"
    r"|^(?:作者|编辑|责任编辑)\s*[:：]",
    re.IGNORECASE,
)
_BREADCRUMBS = re.compile(r"^(?:home|首页|主页)\s*(?:>|›|»|/|\|)|(?:\s(?:>|›|»)\s.*){2,}", re.IGNORECASE)
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
_STAMP_WORDS = re.compile(
    r"\b(?:updated|published|posted|last modified|date|time|read(?:ing)? time|min(?:ute)?s? read|views?)\b"
    r"|\b(?:Xinhua|Reuters|AFP|AP|CGTN|Global Times|China Daily|People's Daily)\)?\s*\d",
    re.IGNORECASE,
)
_SHARE_WORDS = frozenset(
    [
        "share",
        "shares",
        "this",
        "article",
        "page",
        "print",
        "email",
        "e-mail",
        "mail",
        "tweet",
        "twitter",
        "x",
        "facebook",
        "linkedin",
        "wechat",
        "weibo",
        "whatsapp",
        "telegram",
        "reddit",
        "copy",
        "link",
        "save",
        "like",
        "likes",
        "comment",
        "comments",
        "bookmark",
        "follow",
        "us",
        "on",
        "top",
        "back",
        "to",
        "pdf",
        "download",
        "related",
        "articles",
        "posts",
        "news",
        "more",
        "read",
        "next",
        "previous",
        "tags",
        "tag",
        "keywords",
        "categories",
        "category",
    ]
)
# A header over links to other pages of the site: what follows it late in a page is not the article.
_LINKS_ELSEWHERE = (
    r"related (?:articles|posts|news|reading|links|topics|stories|content)|you (?:may|might) (?:also )?(?:like|enjoy)"
    r"|read next|most (?:read|popular|viewed)|(?:more )?popular (?:on|in|at|from)|recommended(?: for you)?"
    r"|more (?:from|stories)|hot news|trending|latest news|top stories|editor'?s picks?"
)
_READ_MORE = re.compile(
    r"^(?:read more|learn more|see more|more info(?:rmation)?|continue reading|full (?:text|story|article)|"
    r"back to (?:top|list)|previous|next|tags?|keywords?|categories|filed under|share (?:this|on)|key ?words?|"
    + _LINKS_ELSEWHERE
    + r")\b",
    re.IGNORECASE,
)
_HEADS_LINKS_ELSEWHERE = re.compile(rf"^(?:{_LINKS_ELSEWHERE})\b", re.IGNORECASE)


def heads_links_elsewhere(text: str) -> bool:
    """Whether a block is a header over links to other pages ("You might also like", "Most read")."""
    return _HEADS_LINKS_ELSEWHERE.match(text) is not None


_DISCLAIMER = re.compile(
    r"\b(?:does not constitute|do not constitute|is not intended to (?:be|constitute|provide)|not be (?:construed|relied)"
    r"|intended (?:to provide|for) (?:general|information)|general guide|for (?:general )?information(?:al)? purposes"
    r"|legal advice|specialist advice|professional advice|disclaimer|all rights reserved|©|\(c\) \d{4}"
    r"|reproduc\w+ (?:without|prohibited)|版权所有)",
    re.IGNORECASE,
)


_COOKIES = re.compile(
    r"\b(?:we|this (?:web)?site|our (?:web)?site)\b.{0,80}\bcookies\b|\bcookies\b.{0,80}\b(?:our|this) (?:web)?site\b"
    r"|\baccept (?:all )?cookies\b|\bcookie (?:policy|settings|preferences|notice)\b|\bconsent (?:preferences|settings)\b"
    r"|\baccept all\b|^[^.]{0,40}\bcookies\b[^.]{0,20}$",
    re.IGNORECASE,
)
_INTERFACE = re.compile(
    r"\b(?:please try again(?: later)?|has been added to your|unable to add|added to (?:your )?(?:cart|basket|binder|list)"
    r"|javascript (?:is )?(?:disabled|required)|enable javascript|your browser|loading\.\.\.|print this page"
    r"|sign up for (?:our|the) newsletter|download (?:the )?pdf|save as pdf|print (?:this )?(?:article|page))\b",
    re.IGNORECASE,
)
_PAYWALL = re.compile(
    r"\b(?:free articles?|articles? left|unlimited access|limited articles|start (?:your )?free trial|log ?in to (?:read|view)"
    r"|sign in to (?:read|view|continue)|register (?:now|for free|to (?:read|continue))|already a (?:member|subscriber)"
    r"|paywall|premium content|members only|free member|member log ?in|support cent(?:re|er)|start (?:a |your )?(?:free )?trial"
    r"|subscribe now|subscribers only)\b",
    re.IGNORECASE,
)
# A contributor's note on the firm that wrote the article: "Lusheng Law Firm is a Chinese law firm, …".
_FIRM_PROFILE = re.compile(
    r"^(?:(?:[A-Z][\w&'’.-]*|&)\s+){1,6}(?:is|are)\s+(?:an?|one of the)\s+(?:[\w-]+\s+){0,5}?"
    r"(?:law firms?|legal (?:practice|services? provider)|consultanc(?:y|ies)|advisory firm)\b"
)
# What a firm says of itself, and not what news says of a firm.
_PROFILE_WORDS = re.compile(
    r"\b(?:speciali[sz]\w*|with offices|headquarter\w*|founded|provid\w+|offer\w*|full-service|leading|independent|"
    r"clients|practice areas?)\b",
    re.IGNORECASE,
)
# An author's note on herself under a post: "With over 10 years of experience …, Yan Luo specializes in …".
_PERSON_PROFILE = re.compile(
    r"\b(?:(?:over|more than|nearly) \d+ years of (?:experience|practice)|speciali[sz](?:es|ing) in|(?:her|his) practice"
    r"|advises (?:multinational |leading )?(?:clients|companies)|(?:she|he) (?:has )?(?:advised|counsel(?:l)?ed|guided))\b",
    re.IGNORECASE,
)
_NEWS_WORDS = re.compile(r"\b(?:fined|sued|penali[sz]\w*|court|ruled|ordered|investigat\w*|RMB|yuan)\b", re.IGNORECASE)
# A site's rules for its reader comments: "Please keep your comments respectful", "Community Guidelines".
_COMMENT_POLICY = re.compile(
    r"\b(?:keep (?:your )?comments|comments? (?:policy|section|guidelines)|community guidelines|post a comment"
    r"|leave a (?:comment|reply)|forum for (?:civil|constructive|respectful)|share a story idea|submit (?:a |your )?(?:story|tip))\b",
    re.IGNORECASE,
)
# Template code a page saved mid-render leaves behind: "{{ total }}", "{[ getCartTotalCost() ]}".
_TEMPLATE_CODE = re.compile(r"\{\{|\}\}|\{\[|\]\}|\b\w+\(\)\s*[|}]|\bshopping_basket\b|<%|%>")
# Menu entries saved without spaces between them: "Xi JinpingBelt and RoadG20South China Sea".
# (Brand names glue fewer letters: "WeChat", "TikTok", "iPhone", "LinkedIn" do not count.)
_GLUED_MENU = re.compile(r"(?:[a-z]{3}|\d)[A-Z][a-z]{2}")
_CAPTION = re.compile(
    r"^(?:photo|image|picture|figure|video|credit|file photo)(?:\s+of|\s*[:：(]|\s+(?:by|courtesy of)\s)", re.IGNORECASE
)
# A caption is signed by its photo credit at the end: "… is seen in Beijing. REUTERS/Jane Roe",
# "Cyber security. Photo: IC", "(Photo by Jane Roe/AFP via Getty Images)".
_CREDIT = re.compile(
    r"(?:\b(?:REUTERS|AFP|AP|EPA|Xinhua|VCG|Bloomberg)/[A-Z][\w.'’ -]{1,40}(?:/File Photo)?"
    r"|\b(?:Photo|Image|Picture|File photo)(?:\s+by|\s+credit)?\s*[:：]\s*[\w.'’/ -]{1,40}"
    r"|\(Photo(?:\s+by)?\s*[:：]?[^()]{1,60}\)|\bvia Getty Images\)?|\bGetty Images"
    r"|[\[(](?:Photo|Image|File photo)\s*(?:/|by\b|provided\b)[^\[\]()]{1,60}[\])])\s*\.?$"
)
# Who an aggregator showed the article to, printed over it: "within Technology topic(s)", "in United
# States", "with readers working within the Retail & Leisure industries".
_AUDIENCE = re.compile(
    r"^(?:within .{1,80} topic\(s\)|with readers working within .{1,200} industr(?:y|ies)"
    r"|with (?:[A-Z][\w&,'’ -]{0,80} )?(?:Executives|Counsel|Professionals|Officers)|in (?:the )?[A-Z][a-z]+(?: [A-Z][a-z]+){0,3})$"
)


def is_disclaimer(text: str) -> bool:
    """Whether a block reads as a disclaimer or a copyright line."""
    return _DISCLAIMER.search(text) is not None


def furniture(text: str) -> str | None:
    """What kind of page furniture ``text`` is, or None when it may be news."""
    if len(text) > 800:
        return None  # furniture is short; a long paragraph is text (and the checks stay linear)
    words = text.split()
    short = len(text) <= 160
    lower = text.lower()
    if _ABSTRACT.match(text):
        return "abstract"
    if len(text) <= 400 and _TEMPLATE_CODE.search(text):
        return "template code"
    if "cookie" in lower and _COOKIES.search(text):
        return "cookie notice"
    if short and _INTERFACE.search(text):
        return "interface message"
    if len(text) <= 300 and _PAYWALL.search(text):
        return "paywall"
    if len(text) <= 300 and _COMMENT_POLICY.search(text):
        return "comment policy"
    if len(text) <= 600 and _FIRM_PROFILE.match(text) and _PROFILE_WORDS.search(text) and not _NEWS_WORDS.search(text):
        return "firm profile"
    if len(text) <= 300 and _AUDIENCE.match(text.lstrip("-–•* ")):
        return "audience note"
    if len(text) <= 800 and len(_PERSON_PROFILE.findall(text)) >= 2 and not _NEWS_WORDS.search(text):
        return "author profile"
    if short and _CAPTION.match(text):
        return "caption"
    if len(text) <= 300 and _CREDIT.search(text):
        return "caption"
    if short and len(_GLUED_MENU.findall(text)) >= 2 and not re.search(r"[.!?]\s", text):
        return "menu"
    if lower in ("avatar", "logo", "menu", "search", "close", "skip to content", "skip to main content"):
        return "page element"
    if short and _BREADCRUMBS.search(text):
        return "breadcrumbs"
    if (
        words
        and len(words) <= 12
        and all(w.strip(":|·•-–—,.()[]").lower() in _SHARE_WORDS for w in words if w.strip(":|·•-–—,.()[]"))
    ):
        return "share buttons"
    if short and _READ_MORE.match(text) and len(words) <= 8:
        return "navigation"
    if short and _TIME.search(text) and (_STAMP_WORDS.search(text) or len(words) <= 8):
        return "timestamp"
    if len(text) <= 120 and _BYLINE.match(text) and not re.search(r"[.;]\s+[A-Z]", text):
        return "byline"
    if len(text) <= 600 and _GREETING.search(text):
        return "greeting"
    if len(text) <= 500 and _SUBSCRIPTION.search(text):
        return "subscription note"
    if len(text) <= 700 and is_disclaimer(text):
        return "disclaimer"
    return None
