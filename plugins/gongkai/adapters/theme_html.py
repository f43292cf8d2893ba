"""The package's assets beside the theme, and fix-ups of the theme's own markup where its
templates offer no block to override (issue 13).

Material writes autocomplete="off" on its drawer and search checkboxes; HTML allows the attribute
only on text-like inputs, so the W3C checker reports every page. portal.js closes the drawer when
a page is shown again from the back/forward cache, which is what the attribute was for.
"""
from __future__ import annotations

# The package's own assets (under gongkai/assets/) and where mkdocs.yml lists each (None: not listed, used where needed).
ASSETS = {"assets/gongkai/gongkai.css": "extra_css", "assets/gongkai/gongkai.js": "extra_javascript", "assets/gongkai/prefs.js": "extra_javascript"}
# Material's inline scripts as files, loaded by templates/partials/javascripts/ (Content-Security-Policy).
THEME_SCRIPTS = ("assets/gongkai/early.js", "assets/gongkai/md-content.js")  # (the portal header has no palette switch)
# Portal assets (issue 13): the drawer's keyboard script on every page; images and the 申请表 form's script where used.
ASSETS.update({"assets/gongkai/portal.css": "extra_css", "assets/gongkai/portal.js": "extra_javascript", "assets/gongkai/apply.js": None, "assets/gongkai/emblem.svg": None, "assets/gongkai/dzjg.svg": None})

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
