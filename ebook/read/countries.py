"""Countries and languages as people write them, made into ISO 3166 codes and BCP 47 tags.

Form answers say "Deutschland", "UK", "U.S.A." or "Español": pycountry knows the ISO codes and
English names, and Babel carries CLDR's names of every country and language in many languages,
including each one's own ("España", "日本語"). Reading those names from Babel's 330 locales takes
about a second, so a `Names` given a cache folder keeps the two indexes there as JSON, named by a
hash of Babel's and pycountry's versions and of the extra languages (a new version gets a new
file, so a kept one is never stale): the next run reads them in milliseconds.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import langcodes
import pycountry

from ebook.bookkeeping.kept import keep_file

# Forms people write that neither ISO nor CLDR lists as a name.
_COUNTRY_ALIASES = {
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "u s a": "US",
    "us": "US",
    "u s": "US",
    "america": "US",
    "united states of america": "US",
    "holland": "NL",
    "south korea": "KR",
    "korea": "KR",
    "north korea": "KP",
    "russia": "RU",
    "czech republic": "CZ",
    "ivory coast": "CI",
    "uae": "AE",
    "emirates": "AE",
    "vatican": "VA",
    "the netherlands": "NL",
    "turkey": "TR",
    "swaziland": "SZ",
    "burma": "MM",
    "macedonia": "MK",
    "republic of korea": "KR",
    "palestine": "PS",
    "srbija": "RS",
    "nihon": "JP",
    "nippon": "JP",
    "日本国": "JP",
    "中华人民共和国": "CN",
}
# Languages people name otherwise than CLDR does.
_LANGUAGE_ALIASES = {
    "bahasa indonesia": "id",
    "bahasa melayu": "ms",
    "castellano": "es",
    "norsk bokmal": "nb",
    "norsk nynorsk": "nn",
    "简体中文": "zh-Hans",
    "繁體中文": "zh-Hant",
    "中文 简体": "zh-Hans",
    "中文 繁體": "zh-Hant",
    "farsi": "fa",
}
# Names in these languages are read too, whatever the book's language: the languages most often
# written in forms, so that "Allemagne", "Alemania" or "arabe" are understood.
WIDE_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "ru", "zh", "ja", "ar", "pl", "tr", "sv", "ko")
# The words that qualify a language in parentheses: "Chinese (Simplified)".
_SCRIPTS = {"simplified": "Hans", "traditional": "Hant", "latin": "Latn", "cyrillic": "Cyrl"}


def fold(text: str) -> str:
    """Compare names the way a reader would: no case, no accents, no punctuation, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    kept = re.sub(r"[\W_]+", " ", kept).strip()
    return re.sub(r"^the ", "", kept)


def _pycountry_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pycountry")
    except PackageNotFoundError:
        return "?"


def _all_official_languages() -> list[str]:
    """The languages official somewhere, whose own names of their countries are worth reading."""
    found: dict[str, None] = {}
    for country in pycountry.countries:
        for language in _languages_of(country.alpha_2):
            found[language.split("_")[0]] = None
    return list(found)


def _languages_of(territory: str) -> tuple[str, ...]:
    from babel.languages import get_official_languages  # Babel is imported only when an index is made

    try:
        return tuple(get_official_languages(territory, de_facto=True))
    except (KeyError, ValueError):
        return ()


def _names_in(language: str, kind: str) -> dict[str, str]:
    """CLDR's names of every territory or language written in one language, read without merging
    the locale with its parents (the merge is most of Babel's cost; a language's own locale holds
    the names)."""
    from babel import localedata

    try:
        data = localedata.load(language, merge_inherited=False)
    except (OSError, ValueError):
        return {}
    names = data.get(kind, {})
    return {str(k): str(v) for k, v in names.items()} if isinstance(names, dict) else {}


@dataclass
class Names:
    """Country and language names to codes; the indexes are made (or read from cache) on first use."""

    extra_languages: tuple[str, ...] = ("en",)  # also read names written in these languages
    cache: Path | None = None  # a folder where the indexes are kept between runs
    _countries: dict[str, str] = field(default_factory=dict)
    _languages: dict[str, str] = field(default_factory=dict)

    def _kept(self) -> Path | None:
        if self.cache is None:
            return None
        import babel

        key = f"{babel.__version__}\0{pycountry.__name__}\0{_pycountry_version()}\0{','.join(self.extra_languages)}"
        return self.cache / f"names-{hashlib.sha256(key.encode()).hexdigest()[:24]}.json"

    def _load(self) -> None:
        if self._countries:
            return
        kept = self._kept()
        if kept is not None:
            with contextlib.suppress(OSError, ValueError):
                data = json.loads(kept.read_text(encoding="utf-8"))
                if isinstance(data, dict) and data.get("countries") and data.get("languages"):
                    self._countries = {str(k): str(v) for k, v in data["countries"].items()}
                    self._languages = {str(k): str(v) for k, v in data["languages"].items()}
                    return
        self._countries = self._country_index()
        self._languages = self._language_index()
        if kept is not None:
            text = json.dumps({"countries": self._countries, "languages": self._languages}, ensure_ascii=False)
            with contextlib.suppress(OSError):  # a read-only or full disk: the next run makes them again
                keep_file(kept, text.encode())

    def _country_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for country in pycountry.countries:
            code = country.alpha_2
            index[fold(code)] = code
            index[fold(country.alpha_3)] = code
            for attribute in ("name", "official_name", "common_name"):
                if value := getattr(country, attribute, None):
                    index.setdefault(fold(value), code)
        wide = (*self.extra_languages, *WIDE_LANGUAGES)
        for language in dict.fromkeys((*wide, *_all_official_languages())):
            for code, name in _names_in(language, "territories").items():
                if re.fullmatch(r"[A-Z]{2}", code) and (language in wide or language in _languages_of(code)):
                    index.setdefault(fold(name), code)
        for alias, code in _COUNTRY_ALIASES.items():
            index.setdefault(alias, code)
        return index

    def _language_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        from babel import localedata

        for ident in localedata.locale_identifiers():
            if "_" not in ident and (own := _names_in(ident, "languages").get(ident)):
                index.setdefault(fold(own), ident)
        for language in (*self.extra_languages, *WIDE_LANGUAGES):
            for code, name in _names_in(language, "languages").items():
                index.setdefault(fold(name), code.replace("_", "-"))
        for alias, code in _LANGUAGE_ALIASES.items():
            index.setdefault(fold(alias), code)
        return index

    def countries(self) -> dict[str, str]:
        self._load()
        return self._countries

    def languages(self) -> dict[str, str]:
        self._load()
        return self._languages

    def country_code(self, text: str) -> str | None:
        """FR for "FR", "fra", "France", "Frankreich" (with "de" among the extra languages) or
        "Deutschland"→DE (the country's own language); None when nothing matches."""
        key = fold(text)
        if not key:
            return None
        code = self.countries().get(key)
        if code is None and re.search(r"[/|;,]", text):  # "Schweiz/Suisse": the parts must agree
            codes = {self.country_code(part) for part in re.split(r"[/|;,]", text) if part.strip()}
            code = codes.pop() if len(codes) == 1 else None
        return code if code and pycountry.countries.get(alpha_2=code) is not None else None

    def suggest_country(self, text: str) -> str | None:
        """The code of the closest name, for a "did you mean FR?" hint; None when nothing is close."""
        key = fold(text)
        index = self.countries()
        close = difflib.get_close_matches(key, [k for k in index if len(k) > 3], n=1, cutoff=0.75)
        return index[close[0]] if close else None

    def language_tag(self, text: str) -> str | None:
        """A BCP 47 tag for a tag ("pt-BR", "fr_CA") or a language's name in English, in itself, or
        in one of the extra languages ("Français", "العربية", "日本語", "Spanish")."""
        cleaned = text.strip()
        if re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", cleaned):
            tag = cleaned.replace("_", "-")
            if langcodes.tag_is_valid(tag) and langcodes.Language.get(tag).is_valid():
                return str(langcodes.standardize_tag(tag))
        code = self.languages().get(fold(cleaned))
        qualified = re.fullmatch(r"(.+?)\s*[(（](.+)[)）]", cleaned)  # "Português (Brasil)", "中文（简体）"
        if code is None and qualified:
            base = self.language_tag(qualified[1])
            if base is None:
                return None
            detail = fold(qualified[2])
            if detail in _SCRIPTS or self.languages().get(detail, "").startswith(base + "-"):
                script = _SCRIPTS.get(detail) or self.languages()[detail].split("-", 1)[1]
                return f"{base}-{script}"
            region = self.country_code(qualified[2])
            return f"{base}-{region}" if region else base
        return code


def country_code(text: str, names: Names | None = None) -> str | None:
    return (names or Names()).country_code(text)


def suggest_country(text: str, names: Names | None = None) -> str | None:
    return (names or Names()).suggest_country(text)


def language_tag(text: str, names: Names | None = None) -> str | None:
    return (names or Names()).language_tag(text)
