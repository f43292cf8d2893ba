"""The `gongkai` command."""
