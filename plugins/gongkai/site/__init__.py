"""Plan the public site: pages, listings, feeds, site metadata and the search index. Imports no MkDocs."""
