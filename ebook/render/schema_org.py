"""The book as schema.org describes it, for search engines and reference managers: what the
download page and the web edition's contents both say of it (each adds its own fields)."""

from __future__ import annotations

from typing import Any

from ebook.model import BookConfig


def book_schema(config: BookConfig) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "Book",
        "name": config.title,
        "inLanguage": config.language,
        "publisher": {"@type": "Organization", "name": config.publisher},
        "datePublished": config.date.isoformat(),
    }
