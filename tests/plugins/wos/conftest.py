"""Helpers for the WoS importer tests: run the importer over a path and split records from errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from plugins.wos_import import WosImporter
from repository.importers import ParsedRecord, RecordError

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def importer() -> WosImporter:
    return WosImporter()


@pytest.fixture
def run(importer):
    """``run(path) -> (records, errors)``: parse *path* completely."""

    def _run(path):
        records, errors = [], []
        for item in importer.parse(str(path)):
            if isinstance(item, RecordError):
                errors.append(item)
            else:
                assert isinstance(item, ParsedRecord)
                records.append(item)
        return records, errors

    return _run
