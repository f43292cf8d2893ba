"""The web editor: Decap CMS configured from the catalog, written to its own folder, served locally."""
