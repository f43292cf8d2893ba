"""MkDocs as the renderer: the plugin, the atomic builder and the fast preview. The only MkDocs imports live here."""
