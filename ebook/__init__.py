"""make-book: turn a folder of collected testimonials into an EPUB, a PDF and a download page."""

__version__ = "0.4.0"
