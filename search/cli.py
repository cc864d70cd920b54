"""``zhiku reindex``: rebuild the search index (or retry remembered updates) with a progress bar."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from tqdm import tqdm

from .backend import SearchUnavailable


@click.command("reindex")
@click.option("--pending", is_flag=True, help="Only retry the updates that failed while search was down.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@with_appcontext
def reindex_command(pending, progress):
    """Rebuild the search index from the database and swap it in with no downtime."""
    from .indexing import indexable_count, reindex_all, retry_pending
    from .service import get_backend

    show = sys.stderr.isatty() if progress is None else progress
    try:
        backend = get_backend()
        backend.check()
        if pending:
            with tqdm(unit="work", desc="retry", file=sys.stderr, disable=not show) as bar:
                done, left = retry_pending(progress=bar.update)
            click.echo(f"{done} pending works indexed, {left} still pending")
            sys.exit(1 if left else 0)
        with tqdm(total=indexable_count(), unit="work", unit_scale=True, desc=f"reindex ({backend.name})",
                  file=sys.stderr, disable=not show, dynamic_ncols=True) as bar:
            count = reindex_all(progress=bar.update)
    except SearchUnavailable as exc:
        click.echo(f"error: search unavailable: {exc}", err=True)
        sys.exit(1)
    click.echo(f"{count} works indexed ({backend.name})")
