"""gongkai: a static site generator for government information disclosure (政府信息公开).

Core modules (no MkDocs import): catalog, items, schema, digest, gate, project,
pages, scaffold, search. Adapter: mkdocs_plugin, builder. Front end: cli.
"""
__version__ = "0.1.0"
