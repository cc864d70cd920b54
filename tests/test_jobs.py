"""Jobs on a real Redis with a real rq worker process; inline execution without Redis."""
import os
import signal
import subprocess
import sys

import pytest

from repository.extensions import db
from repository.ingest.batch import create_batch, start_batch
from repository.models import ImportBatch
from tests.factories import record, write_jsonl

ZHIKU = os.path.join(os.path.dirname(sys.executable), "zhiku")

pytestmark = pytest.mark.services


def worker_env(database_url, redis_url):
    return {**os.environ, "ZHIKU_DATABASE_URL": database_url, "ZHIKU_REDIS_URL": redis_url}


def test_without_redis_the_import_runs_inline(app, tmp_path):
    batch = create_batch("canonical", [str(write_jsonl(tmp_path / "a.jsonl", [record()]))])
    start_batch(batch)
    assert (batch.job_id, batch.status, batch.new) == (None, "finished", 1)


def test_an_import_job_runs_in_a_real_rq_worker(make_app, redis_url, database_url, tmp_path):
    app = make_app(ZHIKU_REDIS_URL=redis_url)
    with app.app_context():
        batch = create_batch("canonical", [str(write_jsonl(tmp_path / "a.jsonl", [record()]))])
        start_batch(batch)
        batch_id, job_id = batch.id, batch.job_id
        assert job_id and batch.status == "queued"

    done = subprocess.run([ZHIKU, "worker", "--burst"], env=worker_env(database_url, redis_url),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

    with app.app_context():
        batch = db.session.get(ImportBatch, batch_id)
        assert (batch.status, batch.new, batch.failed) == ("finished", 1, 0)
        from rq.job import Job

        from repository.jobs import redis_connection
        assert Job.fetch(job_id, connection=redis_connection()).get_status() == "finished"


def test_zhiku_import_follows_a_batch_running_in_the_worker(make_app, redis_url, database_url, tmp_path):
    make_app()  # creates the schema
    env = worker_env(database_url, redis_url)
    worker = subprocess.Popen([ZHIKU, "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        path = write_jsonl(tmp_path / "a.jsonl", [record(), record(source_id="2", doi=None, title="T2",
                                                                   identifiers={"wos_ut": "WOS:2"})])
        done = subprocess.run([ZHIKU, "import", "canonical", str(path)], env=env, capture_output=True,
                              text=True, timeout=120)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "batch 1: 2 new, 0 updated, 0 merged, 0 unchanged, 0 failed"


def test_worker_without_redis_says_why(runner):
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 1
    assert "ZHIKU_REDIS_URL is not set" in result.stderr


def test_zhiku_dedup_all_runs_in_a_real_rq_worker(make_app, redis_url, database_url, tmp_path):
    from repository.models import WorkProfile

    app = make_app(ZHIKU_REDIS_URL=redis_url)
    with app.app_context():
        start_batch(create_batch("canonical", [str(write_jsonl(tmp_path / "a.jsonl", [record()]))]))
    done = subprocess.run([ZHIKU, "worker", "--burst"], env=worker_env(database_url, redis_url),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["dedup", "--all", "--no-progress"])
        assert result.exit_code == 0 and "dedup job" in result.output and "queued" in result.output
        assert db.session.query(WorkProfile).filter_by(checked=True).count() == 0
    done = subprocess.run([ZHIKU, "worker", "--burst"], env=worker_env(database_url, redis_url),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with app.app_context():
        db.session.expire_all()
        assert db.session.query(WorkProfile).filter_by(checked=True).count() == 1
