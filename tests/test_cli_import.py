"""`zhiku import`: the contract of ARCHITECTURE.md, bad input included."""
import json
import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from repository.extensions import db
from repository.models import SourceRecord, Work
from tests.factories import record, write_jsonl


def invoke(runner, *args):
    return runner.invoke(args=["import", *map(str, args)])


def test_import_prints_a_summary(runner, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [record()])
    result = invoke(runner, "canonical", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "batch 1: 1 new, 0 updated, 0 merged, 0 unchanged, 0 failed"
    again = invoke(runner, "canonical", path)
    assert again.stdout.strip() == "batch 2: 0 new, 0 updated, 0 merged, 1 unchanged, 0 failed"


def test_dry_run_writes_canonical_jsonl_and_stores_nothing(runner, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [record(doi="https://doi.org/10.5555/TEST.0001")])
    result = runner.invoke(args=["import", "canonical", str(path), "--dry-run", "--format", "jsonl"])
    assert result.exit_code == 0
    [line] = result.stdout.splitlines()
    assert json.loads(line)["doi"] == "10.5555/test.0001"
    assert db.session.execute(sa.select(sa.func.count()).select_from(SourceRecord)).scalar_one() == 0


def test_unknown_source(runner, tmp_path):
    result = invoke(runner, "nosuch", tmp_path / "x")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: unknown source 'nosuch' (available: canonical")


def test_unreadable_file_is_one_line_with_the_file(runner, tmp_path):
    missing = tmp_path / "missing.jsonl"
    result = invoke(runner, "canonical", missing)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{missing}:-: cannot read: No such file or directory"


def test_wrong_format_is_refused_by_sniffing(runner, tmp_path):
    path = tmp_path / "savedrecs.txt"
    path.write_text("FN Clarivate Analytics Web of Science\nVR 1.0\n")
    result = invoke(runner, "canonical", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{path}:1: not a Zhiku canonical JSON lines file"


def test_invalid_encoding_names_the_line(runner, tmp_path):
    path = tmp_path / "a.jsonl"
    good = json.dumps(record(), ensure_ascii=False).encode()
    path.write_bytes(good + b"\n" + '{"title": "张三"}'.encode("gb18030") + b"\n")
    result = invoke(runner, "canonical", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{path}:2: not UTF-8: invalid continuation byte at column 12"
    assert "1 new" in result.stdout  # the good record is stored


def test_validation_failure_names_file_line_and_field(runner, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [record(year=3500)])
    result = invoke(runner, "canonical", path, "--dry-run")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{path}:1: year: Must be greater than or equal to 1000 and less than or equal to 2999."


def test_the_console_script_runs_end_to_end(tmp_path, database_url):
    """The installed `zhiku` command, as a user types it."""
    env = {**os.environ, "ZHIKU_INSTANCE_PATH": str(tmp_path / "inst"), "ZHIKU_DATABASE_URL": database_url}
    env.pop("ZHIKU_REDIS_URL", None)
    zhiku = os.path.join(os.path.dirname(sys.executable), "zhiku")
    subprocess.run([zhiku, "init"], env=env, check=True, capture_output=True)
    path = write_jsonl(tmp_path / "a.jsonl", [record(), record(source_id="x", title="")])
    done = subprocess.run([zhiku, "import", "canonical", str(path)], env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"{path}:2: title: Shorter than minimum length 1."]
    assert done.stdout.strip() == "batch 1: 1 new, 0 updated, 0 merged, 0 unchanged, 1 failed"


@pytest.mark.contract
def test_records_are_visible_after_import(runner, tmp_path):
    invoke(runner, "canonical", write_jsonl(tmp_path / "a.jsonl", [record()]))
    assert db.session.execute(sa.select(Work.title)).scalar_one() == record()["title"]


def test_instance_file_settings_with_and_without_prefix(instance_dir, database_url):
    from repository.app import create_app

    instance_dir.mkdir(parents=True)
    (instance_dir / "zhiku.cfg").write_text("REPOSITORY_ID = 'ir.dlut.edu.cn'\nZHIKU_IMPORT_COMMIT_EVERY = 50\n"
                                            "SECRET_KEY = 'from-file'\n")
    app = create_app({"ZHIKU_DATABASE_URL": database_url})
    assert app.config["ZHIKU_REPOSITORY_ID"] == "ir.dlut.edu.cn"
    assert app.config["ZHIKU_IMPORT_COMMIT_EVERY"] == 50
    assert app.config["SECRET_KEY"] == "from-file"


def test_an_importer_without_options_refuses_one(runner, tmp_path):
    result = invoke(runner, "canonical", write_jsonl(tmp_path / "a.jsonl", [record()]), "--set", "x")
    assert result.exit_code == 2 and "No such option '--set'" in result.stderr


def test_import_help_lists_the_importers(runner):
    result = invoke(runner, "--help")
    assert result.exit_code == 0
    assert "SOURCE PATH..." in result.stdout and "canonical" in result.stdout


@pytest.mark.parametrize("name", ["dry-run", "format", "Set", "two words", "-x", ""])
def test_importer_options_cannot_take_the_core_names_or_odd_ones(name):
    from repository.importers import ImporterOption

    with pytest.raises(ValueError, match="importer option name"):
        ImporterOption(name, "help")
