"""The web edition: dist/read/, static pages made from the same rendered text as the EPUB."""
