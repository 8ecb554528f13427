"""make-book import: a form export (CSV, XLSX, ODS) and the files it names -> submission files."""
