"""Fix-ups of the theme's own markup where its templates offer no block to override (issue 13).

Material writes autocomplete="off" on its drawer and search checkboxes; HTML allows the attribute
only on text-like inputs, so the W3C checker reports every page. portal.js closes the drawer when
a page is shown again from the back/forward cache, which is what the attribute was for.
"""
from __future__ import annotations

TOGGLES = ('type="checkbox" id="__drawer" autocomplete="off"', 'type="checkbox" id="__search" autocomplete="off"')


def fix_theme_html(html: str) -> str:
    for toggle in TOGGLES:
        html = html.replace(toggle, toggle.removesuffix(' autocomplete="off"'), 1)
    return html


# Theme files no page loads: Material's search (the site uses Pagefind), its colour palettes (the
# portal's colours are in portal.css) and source maps.
UNUSED_PREFIXES = ("assets/javascripts/lunr/", "assets/javascripts/workers/")


def unused_theme_file(uri: str, palette: bool) -> bool:
    """palette: whether mkdocs.yml still sets theme.palette (then Material loads its palette CSS)."""
    if uri.startswith("assets/stylesheets/palette."):
        return not palette
    return uri.startswith(UNUSED_PREFIXES) or (uri.startswith("assets/") and uri.endswith(".map"))
