"""Decide what is published: the sign-off gate, the sensitive-data scan and the backdating check."""
