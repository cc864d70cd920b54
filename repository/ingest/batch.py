"""Import batches: create one, and run it (as a job) through an importer and the pipeline."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable, Iterator

from flask import current_app

from ..extensions import db
from ..importers import ImporterError, ParsedRecord, RecordError
from ..jobs import enqueue
from ..models import ImportBatch, utcnow
from ..plugins import plugins
from .pipeline import Pipeline

log = logging.getLogger(__name__)

_SNIFF_BYTES = 8192


def _is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def count_lines(path: str) -> int:
    """Lines in a text file, counting bare CR line ends too (old Mac exports); a cheap progress total."""
    newlines = carriage_returns = 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            newlines += chunk.count(b"\n")
            carriage_returns += chunk.count(b"\r")
    return max(newlines or carriage_returns, 1)


def read_location(importer, location: str) -> Iterator[ParsedRecord | RecordError]:
    """Sniff and parse one file or URL; whole-location failures become one RecordError, never raise."""
    try:
        if not _is_url(location):
            with open(location, "rb") as handle:
                head = handle.read(_SNIFF_BYTES)
            if not importer.sniff(location, head):
                raise ImporterError(location, f"not a {importer.label} file")
        yield from importer.parse(location)
    except ImporterError as exc:
        yield exc.as_record_error()
    except OSError as exc:
        yield RecordError(location, None, f"cannot read: {exc.strerror or exc}")


def create_batch(source: str, locations: list[str], user_id: int | None = None) -> ImportBatch:
    """Check the source exists, record a queued batch, and enqueue it; return the batch."""
    plugins().importer(source)  # raises PluginError for an unknown source before anything is stored
    batch = ImportBatch(source=source, locations=[l if _is_url(l) else str(Path(l).resolve()) for l in locations],
                        status="queued", user_id=user_id)
    db.session.add(batch)
    db.session.commit()
    return batch


def start_batch(batch: ImportBatch, progress: Callable[[ImportBatch], None] | None = None) -> None:
    """Run *batch* now (no Redis) or hand it to the rq workers; *progress* only applies inline."""
    job_id = enqueue(run_batch, batch.id, progress=progress)
    if job_id:
        batch.job_id = job_id
        db.session.commit()


class _BatchRun:
    """The state of one running batch: counters, kept errors, progress."""

    def __init__(self, batch: ImportBatch, progress):
        config = current_app.config
        self.batch = batch
        self.progress = progress
        self.commit_every = config["ZHIKU_IMPORT_COMMIT_EVERY"]
        self.max_errors = config["ZHIKU_IMPORT_MAX_ERRORS_KEPT"]
        self.errors: list[str] = list(batch.errors or [])
        self.pipeline = Pipeline(hook=plugins().hook, priority=config["ZHIKU_SOURCE_PRIORITY"],
                                 actor=f"import:{batch.id}", batch=batch)

    def error(self, error: RecordError) -> None:
        self.batch.failed += 1
        if len(self.errors) < self.max_errors:
            self.errors.append(str(error))

    def checkpoint(self) -> None:
        """Commit the work and the batch's counts, then fire the events of what was committed."""
        self.batch.errors = list(self.errors)
        db.session.commit()
        self.pipeline.fire_events()
        if self.progress:
            self.progress(self.batch)

    def run_chunk(self, chunk: list[ParsedRecord | RecordError], lines_before: int) -> None:
        """Ingest a chunk read from a file; count and report in file order."""
        batch = self.batch
        results = iter(self.pipeline.process_many([item for item in chunk if isinstance(item, ParsedRecord)]))
        for item in chunk:
            outcome, error = (None, item) if isinstance(item, RecordError) else next(results)
            if error:
                self.error(error)
            else:
                setattr(batch, outcome.value, getattr(batch, outcome.value) + 1)
        batch.processed += len(chunk)
        lines = [item.line for item in chunk if item.line]
        if lines:
            batch.progress_done = lines_before + lines[-1]
        self.checkpoint()

    def run_location(self, importer, location: str, lines_before: int) -> None:
        chunk: list[ParsedRecord | RecordError] = []
        for item in read_location(importer, location):
            chunk.append(item)
            if len(chunk) >= self.commit_every:
                self.run_chunk(chunk, lines_before)
                chunk = []
        if chunk:
            self.run_chunk(chunk, lines_before)


def run_batch(batch_id: int, progress: Callable[[ImportBatch], None] | None = None) -> None:
    """Run an import batch to the end; a failure of one record never stops it.

    Counts and kept errors are committed with every checkpoint, so a web page or ``zhiku import``
    polling the batch sees progress; an unexpected crash marks the batch failed with its message.
    """
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None:
        raise LookupError(f"import batch {batch_id} does not exist")
    batch.status, batch.started_at = "running", utcnow()
    sizes = [0 if _is_url(loc) else (count_lines(loc) if Path(loc).is_file() else 0) for loc in batch.locations]
    batch.progress_total = sum(sizes)
    db.session.commit()
    run = _BatchRun(batch, progress)
    try:
        importer = plugins().importer(batch.source)
        lines_before = 0
        for location, size in zip(batch.locations, sizes):
            run.run_location(importer, location, lines_before)
            lines_before += size
            batch.progress_done = lines_before
        batch.status = "finished"
    except Exception as exc:
        db.session.rollback()
        log.exception("import batch %s crashed", batch_id)
        batch = db.session.get(ImportBatch, batch_id)
        batch.status, batch.message = "failed", f"{type(exc).__name__}: {exc}"
        run.batch = batch
    batch.finished_at = utcnow()
    run.checkpoint()
    plugins().hook.zhiku_import_finished(batch_id=batch.id)
