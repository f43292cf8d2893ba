"""Load and validate: the catalog, items, their schema, content digests and URLs. Imports no MkDocs."""
