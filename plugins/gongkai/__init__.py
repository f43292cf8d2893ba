"""gongkai: a static site generator for government information disclosure (政府信息公开).

Data flows one way; each layer imports only the ones above it in this list:

    core/        load and validate (catalog, items, schema, digest, urls)
    review/      decide what is published (gate, sensitive-data scan, backdating)
    project.py   the pipeline so far: load_state() -> State
    compliance/  working days, request register, annual report
    site/        plan the public site (pages, listings, feeds, search index)
    reports/     compliance checks, audit manifest, review status
    adapters/    MkDocs renders the plan (plugin, builder, preview)
    cli/         the `gongkai` command
"""
__version__ = "0.1.0"
