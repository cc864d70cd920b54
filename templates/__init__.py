"""Jinja templates of the web UI (a package only so that non-editable installs carry them)."""
