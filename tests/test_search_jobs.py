"""With Redis, index updates are rq jobs that a real worker runs after the import job."""
import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from repository.extensions import db
from repository.ingest.batch import create_batch, start_batch
from repository.models import Work
from search.backend import SearchRequest
from search.query import parse_query
from search.service import get_backend
from tests.factories import record, write_jsonl

ZHIKU = os.path.join(os.path.dirname(sys.executable), "zhiku")

pytestmark = pytest.mark.services


def test_the_worker_indexes_what_the_import_job_saved(make_app, redis_url, database_url, tmp_path):
    app = make_app(ZHIKU_REDIS_URL=redis_url)
    with app.app_context():
        start_batch(create_batch("canonical", [str(write_jsonl(tmp_path / "a.jsonl", [record()]))]))
        assert get_backend().search(SearchRequest(query=parse_query("zhangsan"), public_only=False)).total == 0

    env = {**os.environ, "ZHIKU_DATABASE_URL": database_url, "ZHIKU_REDIS_URL": redis_url}
    done = subprocess.run([ZHIKU, "worker", "--burst"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

    with app.app_context():
        work_id = db.session.execute(sa.select(Work.id)).scalar_one()
        hits = get_backend().search(SearchRequest(query=parse_query("zhangsan"), public_only=False)).hits
        assert [hit.id for hit in hits] == [work_id]
