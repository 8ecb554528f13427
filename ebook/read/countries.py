"""Countries and languages as people write them, made into ISO 3166 codes and BCP 47 tags.

Form answers say "Deutschland", "UK", "U.S.A." or "Español": pycountry knows the ISO codes and
English names, and Babel carries CLDR's names of every country and language in many languages,
including each one's own ("España", "日本語"). Lookups are built once per `Names` object, which the
caller keeps for as long as it needs it (an import builds one for the run).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

import langcodes
import pycountry
from babel import Locale, UnknownLocaleError, localedata
from babel.languages import get_official_languages

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
}


def fold(text: str) -> str:
    """Compare names the way a reader would: no case, no accents, no punctuation, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    kept = re.sub(r"[\W_]+", " ", kept).strip()
    return re.sub(r"^the ", "", kept)


def _languages_of(territory: str) -> tuple[str, ...]:
    try:
        return tuple(get_official_languages(territory, de_facto=True))
    except (KeyError, ValueError):
        return ()


def _locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return None


@dataclass
class Names:
    """Country and language names to codes; each index is made on first use."""

    extra_languages: tuple[str, ...] = ("en",)  # also read names written in these languages
    _countries: dict[str, str] = field(default_factory=dict)
    _languages: dict[str, str] = field(default_factory=dict)

    def countries(self) -> dict[str, str]:
        if not self._countries:
            index: dict[str, str] = {}
            for country in pycountry.countries:
                code = country.alpha_2
                index[fold(code)] = code
                index[fold(country.alpha_3)] = code
                for attribute in ("name", "official_name", "common_name"):
                    if value := getattr(country, attribute, None):
                        index.setdefault(fold(value), code)
                for language in (*self.extra_languages, *_languages_of(code)):
                    locale = _locale(language)
                    if locale is not None and (name := locale.territories.get(code)):
                        index.setdefault(fold(name), code)
            for alias, code in _COUNTRY_ALIASES.items():
                index.setdefault(alias, code)
            self._countries = index
        return self._countries

    def languages(self) -> dict[str, str]:
        if not self._languages:
            index: dict[str, str] = {}
            for ident in localedata.locale_identifiers():
                if "_" in ident:
                    continue
                locale = _locale(ident)
                if locale is not None and (own := locale.languages.get(ident)):
                    index.setdefault(fold(own), ident)
            for language in self.extra_languages:
                locale = _locale(language)
                if locale is not None:
                    for code, name in locale.languages.items():
                        index.setdefault(fold(name), code.replace("_", "-"))
            self._languages = index
        return self._languages

    def country_code(self, text: str) -> str | None:
        """FR for "FR", "fra", "France", "Frankreich" (with "de" among the extra languages) or
        "Deutschland"→DE (the country's own language); None when nothing matches."""
        key = fold(text)
        if not key:
            return None
        code = self.countries().get(key)
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
        return code


def country_code(text: str, names: Names | None = None) -> str | None:
    return (names or Names()).country_code(text)


def suggest_country(text: str, names: Names | None = None) -> str | None:
    return (names or Names()).suggest_country(text)


def language_tag(text: str, names: Names | None = None) -> str | None:
    return (names or Names()).language_tag(text)
