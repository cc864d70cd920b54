"""``zhiku oai``: harvest sources, harvests, and the collections published as OAI sets."""
from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from repository.cli import run_and_report
from repository.extensions import db
from repository.importers import ImporterError
from repository.models import Collection, HarvestSource, Work

from .harvester import HarvestOptions
from .mapping import SUPPORTED_PREFIXES


@click.group("oai")
def oai_group():
    """OAI-PMH: harvest sources and collections (OAI sets)."""


@oai_group.command("sources")
@with_appcontext
def sources_command():
    """List the harvest sources and their incremental state."""
    rows = db.session.execute(sa.select(HarvestSource).order_by(HarvestSource.id)).scalars().all()
    if not rows:
        click.echo("no harvest sources (add one with `zhiku oai add URL`)")
    for source in rows:
        click.echo(f"{source.id:>4}  {'on ' if source.enabled else 'off'}  {source.status:<7}  "
                   f"{source.metadata_prefix:<9}  set={source.set_spec or '-'}  from={source.last_datestamp or '-'}  "
                   f"{source.base_url}" + (f"  [{source.message}]" if source.message else ""))


@oai_group.command("add")
@click.argument("base_url")
@click.option("--prefix", default="oai_dc", show_default=True, type=click.Choice(SUPPORTED_PREFIXES))
@click.option("--set", "set_spec", default=None, help="Harvest only this set.")
@click.option("--name", default=None, help="A label for people.")
@with_appcontext
def add_command(base_url, prefix, set_spec, name):
    """Add a harvest source BASE_URL."""
    try:
        options = HarvestOptions.from_location(base_url)
    except ImporterError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if base_url != options.base_url:  # options in a query string would be lost: they are this command's
        click.echo(f"error: {base_url}: give the base URL without a query string (--prefix and --set are "
                   f"options of this command)", err=True)
        sys.exit(1)
    source = HarvestSource(base_url=options.base_url, metadata_prefix=prefix, set_spec=set_spec, name=name,
                           status="new", records_seen=0, deleted_seen=0)
    db.session.add(source)
    db.session.commit()
    click.echo(f"harvest source {source.id} added: {source.base_url} ({prefix}, set {set_spec or '-'})")


@oai_group.command("remove")
@click.argument("source_id", type=int)
@with_appcontext
def remove_command(source_id):
    """Remove the harvest source SOURCE_ID (what it harvested stays)."""
    source = db.session.get(HarvestSource, source_id)
    if source is None:
        click.echo(f"error: no harvest source {source_id}", err=True)
        sys.exit(1)
    db.session.delete(source)
    db.session.commit()
    click.echo(f"harvest source {source_id} removed")


@oai_group.command("harvest")
@click.argument("source_ids", nargs=-1, type=int)
@click.option("--full", is_flag=True, help="Harvest everything, not only what changed since the last harvest.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@with_appcontext
def harvest_command(source_ids, full, progress):
    """Harvest SOURCE_IDS (default: every enabled source) through the import pipeline.

    Each source is one import batch, reported like `zhiku import` reports one; with Redis configured a
    worker runs it and this command follows its progress. The exit status is 1 when any record failed.
    """
    from repository.ingest.batch import create_batch

    query = sa.select(HarvestSource).order_by(HarvestSource.id)
    query = query.where(HarvestSource.id.in_(source_ids)) if source_ids else query.where(HarvestSource.enabled)
    sources = db.session.execute(query).scalars().all()
    missing = sorted(set(source_ids) - {source.id for source in sources})
    if missing:
        click.echo(f"error: no harvest source {', '.join(map(str, missing))}", err=True)
        sys.exit(1)
    all_ok = True
    for source in sources:
        options = HarvestOptions(base_url=source.base_url, prefix=source.metadata_prefix,
                                 set_spec=source.set_spec, full=full)
        batch = create_batch("oai", [options.location()])
        source.last_batch_id = batch.id
        heading = f"source {source.id} ({source.base_url}): "
        db.session.commit()
        all_ok = run_and_report(batch, progress, heading) and all_ok
    sys.exit(0 if all_ok else 1)


@oai_group.group("collection")
def collection_group():
    """Collections: admin-defined groups of works, published as OAI sets collection:SPEC."""


@collection_group.command("add")
@click.argument("spec")
@click.option("--name-zh", default=None)
@click.option("--name-en", default=None)
@click.option("--description", default=None)
@with_appcontext
def collection_add(spec, name_zh, name_en, description):
    """Create the collection SPEC."""
    try:
        collection = Collection(spec=spec, name_zh=name_zh, name_en=name_en, description=description)
    except ValueError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    db.session.add(collection)
    db.session.commit()
    click.echo(f"collection {spec} created (OAI set collection:{spec})")


@collection_group.command("assign")
@click.argument("spec")
@click.argument("work_ids", nargs=-1, type=int, required=True)
@click.option("--remove", is_flag=True, help="Take the works out of the collection instead.")
@with_appcontext
def collection_assign(spec, work_ids, remove):
    """Put WORK_IDS into (or, with --remove, out of) the collection SPEC."""
    collection = db.session.execute(sa.select(Collection).filter_by(spec=spec)).scalar_one_or_none()
    if collection is None:
        click.echo(f"error: no collection {spec}", err=True)
        sys.exit(1)
    changed = set_membership(collection, work_ids, not remove)
    db.session.commit()
    click.echo(f"{changed} works {'removed from' if remove else 'added to'} {spec}")


def set_membership(collection: Collection, work_ids, member: bool) -> int:
    """Add or remove works; return how many changed (each gets a new datestamp when the session flushes)."""
    changed = 0
    for work in db.session.execute(sa.select(Work).where(Work.id.in_(work_ids))).scalars():
        present = collection.works.filter(Work.id == work.id).first() is not None
        if present == member:
            continue
        (collection.works.append if member else collection.works.remove)(work)
        changed += 1
    return changed
