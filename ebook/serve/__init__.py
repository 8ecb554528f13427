"""make-book serve: the web edition of the book, pending entries included, kept current while
the editors work, with the book's problems on every page (see docs/serve.md)."""
