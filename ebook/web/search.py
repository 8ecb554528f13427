"""The web edition's search index: built here, read by layouts/web/search.js, which folds a query
the same way (tests/test_web_search.py holds both to the same vectors).

Folding: NFKC, lower case, every combining mark dropped (accents, Arabic vowel marks, the hamza
of the alef forms) but the kana voicing marks, then NFC; the Arabic alef wasla, alef maqsura,
teh marbuta and tatweel folded too. Words are runs of letters and digits; Chinese and Japanese
(and Thai, Lao, Khmer, Myanmar), written without spaces, are indexed as overlapping pairs of
characters (bigrams) with each run's last character alone, so a query of any length is found
inside unspaced text: its own pairs must all be there (see Pagefind#987, #1237 for what word
segmentation gets wrong).

The index is a classic script (window.MAKE_BOOK_SEARCH = {...}) so that it loads from file://,
where fetch() of a JSON file is refused (rust-lang/mdBook#704). Terms are sorted, so the browser
finds every term a query word begins with by binary search; each term's entries are listed as
base-36 gaps between entry numbers.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, kana (with the
# prolonged sound mark), Han and its extensions.
_CJK = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
    "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)
_CJK_RUN = re.compile(f"[{_CJK}]+")
_SPLIT = re.compile(f"([{_CJK}]+)")
_WORD = re.compile(r"[^\W_]+")  # letters and digits: JavaScript's [\p{L}\p{N}]
_KANA_VOICING = ("\u3099", "\u309a")
# Alef wasla, alef maqsura, teh marbuta, tatweel; the Greek final sigma. None of them composes.
_FOLDED = {"\u0671": "\u0627", "\u0649": "\u064a", "\u0629": "\u0647", "\u0640": None, "ς": "σ"}


def fold(text: str) -> str:
    """Case, accents, Arabic vowel marks and alef forms ignored."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).lower())
    # Looked up once for each character the text uses, not once for each character (1.5 x faster).
    table = {
        ord(c): _FOLDED.get(c)
        for c in set(decomposed)
        if c in _FOLDED or (unicodedata.category(c)[0] == "M" and c not in _KANA_VOICING)
    }
    return unicodedata.normalize("NFC", decomposed.translate(table) if table else decomposed)


def terms(text: str) -> list[str]:
    """The words of a text as the index holds them, each once, in the order they first come."""
    folded = fold(text)
    words = dict.fromkeys(_WORD.findall(folded))
    if not _CJK_RUN.search(folded):
        return list(words)
    found: list[str] = []
    for word in words:
        for piece in _SPLIT.split(word):
            if not piece:
                continue
            if _CJK_RUN.fullmatch(piece):
                found += [piece[i : i + 2] for i in range(len(piece) - 1)]
                found.append(piece[-1])
            else:
                found.append(piece)
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Document:
    href: str  # relative to read/
    title: str
    byline: str  # the name shown: an anonymous contributor's role, never the name
    lang: str
    direction: str
    text: str  # everything searchable: title, byline, body, captions


def search_index(documents: Iterable[Document]) -> bytes:
    """The index script: the documents' titles and bylines to list, and their terms."""
    docs = list(documents)
    postings: dict[str, list[int]] = defaultdict(list)
    for number, doc in enumerate(docs):
        for term in set(terms(doc.text)):
            postings[term].append(number)
    ordered = sorted(postings)
    data = {
        "docs": [[d.href, d.title, d.byline, d.lang, d.direction] for d in docs],
        "terms": ordered,
        "postings": [_gaps(postings[t]) for t in ordered],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # "</" inside a string would end the <script> were the file ever inlined; escaped, it is the same JSON.
    return ("window.MAKE_BOOK_SEARCH=" + text.replace("</", "<\\/") + ";\n").encode()


def _gaps(numbers: list[int]) -> str:
    return " ".join([_base36(n - previous) for previous, n in itertools.pairwise([0, *numbers])])


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_TWO_DIGITS = tuple(_DIGITS[i // 36].lstrip("0") + _DIGITS[i % 36] for i in range(36 * 36))


def _base36(n: int) -> str:
    if n < len(_TWO_DIGITS):
        return _TWO_DIGITS[n]
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = _DIGITS[r] + out
    return out
