"""The ``zhiku`` command line: a Flask CLI group on ``repository.app:create_app``."""
from __future__ import annotations

import json
import secrets
import sys
import time
from pathlib import Path

import click
from flask import current_app, has_app_context
from flask.cli import FlaskGroup, with_appcontext
from tqdm import tqdm

from .extensions import db
from .plugins import PluginError, plugins


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def initialise_instance() -> Path:
    """Create the instance folder, a lasting SECRET_KEY in instance/zhiku.cfg, and the schema."""
    from flask_migrate import upgrade

    instance = Path(current_app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    cfg = instance / "zhiku.cfg"
    text = cfg.read_text(encoding="utf-8") if cfg.exists() else ""
    if "SECRET_KEY" not in text:
        key = secrets.token_hex(32)
        with cfg.open("a", encoding="utf-8") as handle:
            handle.write(f"SECRET_KEY = {key!r}\n")
        cfg.chmod(0o600)
        if current_app.config.pop("ZHIKU_TEMPORARY_SECRET_KEY", False):
            current_app.config["SECRET_KEY"] = key  # this process serves next (zhiku demo)
    upgrade(directory=current_app.extensions["migrate"].directory)
    return instance


@click.command("init")
@with_appcontext
def init_command():
    """Create the instance folder and the database schema (safe to repeat: upgrades to the newest)."""
    instance = initialise_instance()
    click.echo(f"instance ready at {instance} ({db.engine.url.render_as_string(hide_password=True)})")


# --- import ---------------------------------------------------------------------------------------------

def _dry_run(importer, paths, output) -> int:
    from .ingest.batch import read_location
    from .importers import RecordError
    from .schemas.import_record import validate_import_record

    failed = 0
    for location in paths:
        for item in read_location(importer, location):
            if isinstance(item, RecordError):
                failed += 1
                click.echo(str(item), err=True)
                continue
            record, errors = validate_import_record(item.data)
            if errors:
                failed += 1
                click.echo(str(RecordError(item.file, item.line, "; ".join(errors))), err=True)
                continue
            output.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    return failed


class _ProgressBar:
    """A tqdm bar over the batch's line progress, drawn only on a terminal unless forced."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None

    def __call__(self, batch) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            self.bar = tqdm(total=batch.progress_total or None, unit="line", unit_scale=True,
                            desc=f"import {batch.source}", file=sys.stderr, dynamic_ncols=True)
        self.bar.n = batch.progress_done
        self.bar.set_postfix(records=batch.processed, new=batch.new, failed=batch.failed, refresh=False)
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _wait_for(batch, progress) -> None:
    """Follow a batch that runs in a worker, until it finishes."""
    try:
        while not batch.done:
            time.sleep(0.5)
            db.session.rollback()  # end the read transaction: a snapshot would never see the worker's commits
            progress(batch)
    except KeyboardInterrupt:
        click.echo(f"\nbatch {batch.id} goes on in the worker; its progress is stored on the batch", err=True)
        sys.exit(130)


def run_and_report(batch, progress: bool | None = None, heading: str = "") -> bool:
    """Run *batch* and report it; return True when every record went through.

    Without Redis the batch runs here; with Redis a worker runs it and this follows the progress the worker
    stores on the batch until it ends (Ctrl-C stops following, not the batch). Then the kept errors go to
    stderr as ``file:line: reason`` (with the number of those not kept), a crash as ``batch N failed:
    message``, and the summary ``HEADINGbatch N: n new, ...`` to stdout. *progress* draws a bar on stderr
    (default: when stderr is a terminal). Every command that imports (``zhiku import``, ``zhiku oai
    harvest``...) reports through this, so they all read the same.
    """
    from .ingest.batch import start_batch

    bar = _ProgressBar(sys.stderr.isatty() if progress is None else progress)
    try:
        start_batch(batch, progress=bar)
        if batch.job_id:
            _wait_for(batch, bar)
    finally:
        bar.close()
    db.session.refresh(batch)
    for line in batch.errors:
        click.echo(line, err=True)
    if batch.failed > len(batch.errors):
        click.echo(f"... and {batch.failed - len(batch.errors)} more errors", err=True)
    if batch.status == "failed":
        click.echo(f"batch {batch.id} failed: {batch.message}", err=True)
    click.echo(f"{heading}batch {batch.id}: {batch.summary()}")
    return not batch.failed and batch.status != "failed"


def _import(importer, paths, dry_run, progress, option_values) -> None:
    from .importers import ImporterError, apply_options
    from .ingest.batch import create_batch

    try:
        locations = apply_options(importer, paths, option_values)
    except ImporterError as exc:
        _fail(str(exc))
    if dry_run:
        failed = _dry_run(importer, locations, sys.stdout)
        sys.exit(1 if failed else 0)
    batch = create_batch(importer.name, locations)
    sys.exit(0 if run_and_report(batch, progress) else 1)


def _option_dest(name: str) -> str:
    return "importer_" + name.replace("-", "_")


def _click_option(option) -> click.Option:
    """The click form of an importer's declared option."""
    declarations = [f"--{option.name}", _option_dest(option.name)]
    if option.flag:
        return click.Option(declarations, is_flag=True, default=False, help=option.help)
    if option.choices:  # click shows the choices themselves as the metavar
        return click.Option(declarations, type=click.Choice(option.choices), default=None, help=option.help)
    return click.Option(declarations, default=None, metavar=option.metavar, help=option.help)


def _importer_command(importer) -> click.Command:
    """``zhiku import NAME``: the core's options plus those the importer declares."""
    from .importers import importer_options

    declared = list(importer_options(importer))

    def callback(paths, dry_run, output_format, progress, **values):
        given = {option.name: values[_option_dest(option.name)] for option in declared
                 if values[_option_dest(option.name)] not in (None, False)}
        _import(importer, paths, dry_run, progress, given)

    params = [
        click.Argument(["paths"], nargs=-1, required=True, metavar="PATH..."),
        click.Option(["--dry-run"], is_flag=True, help="Parse and validate only; write canonical records to stdout."),
        click.Option(["--format", "output_format"], type=click.Choice(["jsonl"]), default="jsonl",
                     show_default=True, help="Output format of --dry-run."),
        click.Option(["--progress/--no-progress"], default=None, help="Progress bar (default: on a terminal)."),
        *(_click_option(option) for option in declared),
    ]
    return click.Command(importer.name, callback=with_appcontext(callback), params=params,
                         help=f"Import PATH... with the {importer.label} importer.\n\n" + _IMPORT_HELP,
                         short_help=importer.label)


_IMPORT_HELP = ("Errors go to stderr as `file:line: reason`; the exit status is 1 when any record failed. "
                "With Redis configured a worker runs the import and this command follows its progress.")


class ImportGroup(click.Group):
    """``zhiku import SOURCE PATH...``: one subcommand per importer the enabled plugins offer."""

    def _registry(self, ctx):
        from flask.cli import ScriptInfo

        if not has_app_context():  # FlaskGroup pushes one; a bare AppGroup (test runner) may not have
            ctx.with_resource(ctx.ensure_object(ScriptInfo).load_app().app_context())
        return plugins()

    def list_commands(self, ctx):
        return sorted(self._registry(ctx).importers())

    def get_command(self, ctx, name):
        try:
            return _importer_command(self._registry(ctx).importer(name))
        except PluginError as exc:
            _fail(str(exc))


import_command = ImportGroup("import", subcommand_metavar="SOURCE PATH...", help=(
    "Import PATH... (files, or URLs for harvesters) with the importer SOURCE.\n\n"
    "`zhiku import SOURCE --help` shows the options of one importer. " + _IMPORT_HELP))


# --- plugins --------------------------------------------------------------------------------------------

@click.group("plugins")
def plugins_group():
    """List, enable and disable plugins."""


@plugins_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_appcontext
def plugins_list(as_json):
    """Show every installed plugin: name, version, hooks, enabled."""
    infos = sorted(plugins().plugins.values(), key=lambda info: info.name)
    if as_json:
        click.echo(json.dumps([{"name": i.name, "distribution": i.distribution, "version": i.version,
                                "hooks": i.hooks, "enabled": i.enabled, "error": i.error} for i in infos],
                              indent=2))
        return
    rows = [("NAME", "VERSION", "ENABLED", "HOOKS")]
    rows += [(i.name, i.version, "yes" if i.enabled else ("ERROR" if i.error else "no"),
              ", ".join(i.hooks) + (f"  [{i.error}]" if i.error else "")) for i in infos]
    widths = [max(len(row[c]) for row in rows) for c in range(3)]
    for row in rows:
        click.echo("  ".join(cell.ljust(widths[c]) for c, cell in enumerate(row[:3])) + "  " + row[3])


def _set_enabled(name: str, enabled: bool) -> None:
    try:
        plugins().set_enabled(name, enabled)
    except PluginError as exc:
        _fail(str(exc))
    click.echo(f"plugin {name} {'enabled' if enabled else 'disabled'} (running servers and workers "
               f"apply it when they restart)")


@plugins_group.command("enable")
@click.argument("name")
@with_appcontext
def plugins_enable(name):
    """Enable the plugin NAME."""
    _set_enabled(name, True)


@plugins_group.command("disable")
@click.argument("name")
@with_appcontext
def plugins_disable(name):
    """Disable the plugin NAME."""
    _set_enabled(name, False)


# --- servers --------------------------------------------------------------------------------------------

def serve_app(app, host: str, port: int) -> None:
    """Serve *app* with waitress (a production WSGI server) until interrupted."""
    from waitress import serve

    if app.config.get("ZHIKU_TEMPORARY_SECRET_KEY"):
        click.echo("warning: no SECRET_KEY configured, sessions end with this process (run `zhiku init`)", err=True)
    click.echo(f"Zhiku serving on http://{host}:{port}/ (instance {app.instance_path}); Ctrl-C stops")
    serve(app, host=host, port=port, threads=8, ident="zhiku")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve_command(host, port):
    """Serve the web application."""
    serve_app(current_app._get_current_object(), host, port)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Exit when the queue is empty.")
@with_appcontext
def worker_command(burst):
    """Run a background job worker (needs ZHIKU_REDIS_URL)."""
    from .jobs import run_worker

    try:
        run_worker(burst=burst)
    except RuntimeError as exc:
        _fail(str(exc))


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Load the demo data and exit.")
@with_appcontext
def demo_command(host, port, no_serve):
    """Set up an instance with the bundled demo data and serve it."""
    from .demo import load_demo

    initialise_instance()
    batch = load_demo()
    click.echo(f"demo data loaded ({batch.summary()})")
    if not no_serve:
        serve_app(current_app._get_current_object(), host, port)


# --- dedup ----------------------------------------------------------------------------------------------

class _PhaseBar:
    """A tqdm bar per phase of ``run_dedup`` (index, check), drawn only on a terminal unless forced."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bars: dict[str, tqdm] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        bar = self.bars.get(phase)
        if bar is None:
            bar = self.bars[phase] = tqdm(total=total, unit="work", desc=f"dedup {phase}", file=sys.stderr,
                                          dynamic_ncols=True)
        bar.total = max(total, done)
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


@click.group("dedup", invoke_without_command=True)
@click.option("--all", "run_all", is_flag=True, help="Re-resolve the whole repository (changed Works only).")
@click.option("--full", is_flag=True, help="With --all: re-check every Work, not only the changed ones.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.pass_context
@with_appcontext
def dedup_group(ctx, run_all, full, progress):
    """Find and merge duplicate Works; merge or split by hand.

    `zhiku dedup --all` runs as a job (in a worker when ZHIKU_REDIS_URL is set); it is incremental and
    safe to interrupt: the next run goes on where this one stopped.
    """
    if ctx.invoked_subcommand is not None:
        return
    if not run_all:
        click.echo(ctx.get_help())
        sys.exit(2)
    from .dedup.rerun import run_dedup
    from .jobs import enqueue

    bar = _PhaseBar(sys.stderr.isatty() if progress is None else progress)
    try:
        job_id = enqueue(run_dedup, full=full, progress=bar,
                         report=lambda stats: click.echo(f"dedup finished: {stats.summary()}"))
    except KeyboardInterrupt:
        click.echo("\ninterrupted: `zhiku dedup --all` goes on from here next time", err=True)
        sys.exit(130)
    finally:
        bar.close()
    if job_id:
        click.echo(f"dedup job {job_id} queued; a `zhiku worker` runs it")


def _dedup_call(func, *args):
    from .dedup.merging import MergeError

    try:
        return func(*args)
    except MergeError as exc:
        _fail(str(exc))


@dedup_group.command("merge")
@click.argument("first", type=int)
@click.argument("second", type=int)
@with_appcontext
def dedup_merge(first, second):
    """Merge Works FIRST and SECOND into one (the verified or older one survives)."""
    from .dedup import curation

    survivor = _dedup_call(curation.merge, first, second, "cli")
    click.echo(f"merged: work {survivor.id} carries on")


@dedup_group.command("split")
@click.argument("source")
@click.argument("source_id")
@with_appcontext
def dedup_split(source, source_id):
    """Split the source record SOURCE SOURCE_ID out of its Work into a Work of its own, for good."""
    from .dedup import curation

    new = _dedup_call(curation.split, source, source_id, "cli")
    click.echo(f"split: {source}:{source_id} is now work {new.id}")


@dedup_group.command("decide")
@click.argument("task_id", type=int)
@click.argument("decision", type=click.Choice(["accept", "reject"]))
@with_appcontext
def dedup_decide(task_id, decision):
    """Accept (merge) or reject (keep apart for good) the possible-duplicate task TASK_ID."""
    from .dedup import curation
    from .models import CurationTask

    task = db.session.get(CurationTask, task_id)
    if task is None:
        _fail(f"no curation task {task_id}")
    survivor = _dedup_call(curation.decide, task, decision == "accept", "cli")
    click.echo(f"task {task_id} {decision}ed" + (f": work {survivor.id} carries on" if survivor else ""))


COMMANDS = (init_command, import_command, plugins_group, serve_command, worker_command, demo_command, dedup_group)


def init_app(app) -> None:
    """Add the core commands and let plugins add theirs to ``zhiku``."""
    for command in COMMANDS:
        app.cli.add_command(command)
    plugins(app).hook.zhiku_register_commands(cli=app.cli)


def _create_app(*_args, **_kwargs):
    from .app import create_app

    return create_app()


def main() -> None:
    """Console script entry point."""
    group = FlaskGroup(create_app=_create_app, add_version_option=False, load_dotenv=False,
                       help="Zhiku (知库): an institutional repository for universities.")
    group.main(prog_name="zhiku")
