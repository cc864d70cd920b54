"""``zhiku dict import|export`` and ``zhiku match affiliation``."""
from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext

from .tables import TableError

ACTOR = "cli"


def _mapping(pairs: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        column, sep, header = pair.partition("=")
        if not sep or not column.strip() or not header.strip():
            raise click.BadParameter(f"expected TEMPLATE_COLUMN=FILE_HEADER, got {pair!r}",
                                     param_hint="--map")
        mapping[column.strip()] = header.strip()
    return mapping


@click.group("dict")
def dict_group():
    """Import and export the org-unit and people dictionaries."""


@dict_group.command("import")
@click.argument("kind", type=click.Choice(["org", "people", "reference"]))
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--map", "pairs", multiple=True, metavar="COLUMN=HEADER",
              help="Read template COLUMN from the file's column HEADER (repeatable).")
@click.option("--sheet", help="XLSX sheet to read (default: the first).")
@click.option("--check", is_flag=True, help="Validate only; save nothing.")
@with_appcontext
def dict_import(kind, path, pairs, sheet, check):
    """Import org units, people (CSV or XLSX in the standard templates), or a reference list of institutions
    (ROR JSON lines). A file with any conflict changes nothing; conflicts go to stderr as file:line: reason."""
    from .reference import ReferenceError
    from .service import import_dictionary_file, import_reference_file

    if kind == "reference" and (pairs or sheet):
        raise click.UsageError("--map and --sheet apply to org and people files, not to a reference list")
    try:
        if kind == "reference":
            result = import_reference_file(path, ACTOR, check=check)
        else:
            result = import_dictionary_file(kind, path, ACTOR, _mapping(pairs), sheet, check)
    except (TableError, ReferenceError) as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    for conflict in result.conflicts:
        click.echo(str(conflict), err=True)
    if result.conflicts:
        click.echo(f"{len(result.conflicts)} conflicts; nothing was imported", err=True)
        sys.exit(1)
    if check:
        click.echo(f"{path}: no conflicts")
        return
    click.echo(result.report.summary() or "nothing to import")
    if result.skipped:
        click.echo(f"{result.skipped} reference institutions skipped: already in the dictionary under another id")


@dict_group.command("export")
@click.argument("kind", type=click.Choice(["org", "people"]))
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def dict_export(kind, path):
    """Export org units or people to PATH (.csv or .xlsx) in the standard template."""
    from .service import export_dictionary_file

    try:
        count = export_dictionary_file(kind, path)
    except TableError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"{count} rows written to {path}")


@click.command("attribute")
@click.option("--uncertain", is_flag=True, help="Only works with an author line not linked to anyone.")
@with_appcontext
def attribute_command(uncertain):
    """Attribute the stored works again against the current dictionaries (human decisions stay)."""
    from .rerun import reattribute

    count = reattribute(only_uncertain=uncertain,
                        progress=lambda done, total: click.echo(f"{done}/{total} works", err=True))
    click.echo(f"{count} works attributed")


@click.group("match")
def match_group():
    """Match strings against the dictionaries without importing anything."""


def _answer(attribution) -> dict:
    # a known institution whose unit is not known answers unit null (the stage stores the institution itself)
    unit = attribution.unit if attribution.unit != attribution.institution else None
    return {"institution": attribution.institution, "unit": unit, "person": attribution.person,
            "confidence": round(attribution.confidence, 3), "reason": attribution.reason}


@match_group.command("affiliation")
@click.option("--dict", "org_path", type=click.Path(exists=True, dir_okay=False),
              help="Org-unit dictionary file (CSV/XLSX); default: the repository's dictionaries.")
@click.option("--people", "people_path", type=click.Path(exists=True, dir_okay=False),
              help="People dictionary file (CSV/XLSX); needs --dict.")
@click.option("--input", "input_file", type=click.File("r", encoding="utf-8-sig"), default="-",
              help="Lines to match: an affiliation, or AUTHOR NAME<TAB>affiliation (default: stdin).")
@click.option("--format", "output_format", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
def match_affiliation(org_path, people_path, input_file, output_format):
    """Match each input line; write one JSON object per line, in order: institution, unit, person,
    confidence, reason. With --dict (and --people) no database is touched."""
    from .dictfiles import load_dictionary_files
    from .engine import Attributor

    if people_path and not org_path:
        raise click.UsageError("--people needs --dict (the units the people belong to)")
    if org_path:
        try:
            files = load_dictionary_files(org_path, people_path)
        except TableError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        for conflict in files.conflicts:
            click.echo(str(conflict), err=True)
        if files.conflicts:
            sys.exit(1)
        attributor = Attributor(files.dictionary)
    else:
        attributor = _repository_attributor()
    for line in input_file:
        line = line.rstrip("\r\n")
        name, tab, affiliation = line.partition("\t")
        if not tab:
            name, affiliation = None, line
        result = attributor.match_line(name.strip() or None if name else None, affiliation.strip() or None)
        sys.stdout.write(json.dumps(_answer(result), ensure_ascii=False) + "\n")


def _repository_attributor():
    """The repository's dictionaries, loaded inside the application (only when no files were given)."""
    from flask.cli import ScriptInfo

    from .cache import current_attributor

    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    with app.app_context():
        return current_attributor()
