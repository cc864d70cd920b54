"""The canonical output of every corpus file and fixture is pinned, record by record, as a digest.

A change of the reader or the mapping (a speed-up, a refactoring) must not change one field of one record
unless it means to. When a change is meant, rewrite the digests and review the diff of the JSON file:

    python tests/plugins/wos/test_wos_canonical_snapshot.py
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
SNAPSHOT = HERE / "canonical_digests.json"
FIXTURES = HERE / "fixtures"


def digests(path: Path) -> list[list]:
    """``[line, source_id, sha256 of the canonical record]`` per record, ``[line, reason]`` per error."""
    from plugins.wos_import import WosImporter
    from repository.importers import RecordError

    rows = []
    for item in WosImporter().parse(str(path)):
        if isinstance(item, RecordError):
            rows.append([item.line, item.reason])
        else:
            text = json.dumps(item.data, sort_keys=True, ensure_ascii=False)
            rows.append([item.line, item.data["source_id"], hashlib.sha256(text.encode()).hexdigest()[:16]])
    return rows


def _files(corpora: Path) -> dict[str, Path]:
    files = {f"fixtures/{p.name}": p for p in sorted(FIXTURES.iterdir())}
    files.update({f"corpora/wos/{p.name}": p for p in sorted((corpora / "wos").iterdir())})
    return files


PINNED = json.loads(SNAPSHOT.read_text(encoding="utf-8")) if SNAPSHOT.exists() else {}


def test_every_file_is_pinned(shared_corpora):
    assert sorted(PINNED) == sorted(_files(shared_corpora))


@pytest.mark.parametrize("name", sorted(PINNED))
def test_canonical_records_are_unchanged(shared_corpora, name):
    assert digests(_files(shared_corpora)[name]) == PINNED[name]


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[2]))
    from tests.conftest import SHARED

    snapshot = {name: digests(path) for name, path in _files(SHARED / "corpora").items()}
    # one record per line, so that a diff of the file names the records that changed
    body = ",\n".join(f"{json.dumps(name)}: [\n" + ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
                      + "\n]" for name, rows in snapshot.items())
    SNAPSHOT.write_text("{\n" + body + "\n}\n", encoding="utf-8")
    print(f"{SNAPSHOT}: {sum(len(rows) for rows in snapshot.values())} records in {len(snapshot)} files")
