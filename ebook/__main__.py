from ebook.cli import entry

entry()
