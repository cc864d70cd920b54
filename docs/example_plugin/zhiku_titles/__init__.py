"""Example Zhiku plugin: an importer for "YEAR<TAB>TITLE" lines, and a listener for saved works.

Install it with ``pip install -e docs/example_plugin``; then ``zhiku plugins list`` shows ``titles`` and
``zhiku import titles list.txt`` loads such a file.
"""
import hashlib
import logging

from repository.hookspecs import hookimpl
from repository.importers import ParsedRecord, RecordError

log = logging.getLogger(__name__)


class TitleListImporter:
    name = "titles"
    label = "Title list"

    def sniff(self, location, head):
        first = head.split(b"\n", 1)[0]
        return first[:4].isdigit() and first[4:5] == b"\t"

    def parse(self, location):
        with open(location, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                year, _, title = line.rstrip("\n").partition("\t")
                if not line.strip():
                    continue
                if not year.isdigit() or not title:
                    yield RecordError(location, number, "expected YEAR<TAB>TITLE")
                    continue
                source_id = hashlib.sha1(f"{year}|{title}".encode()).hexdigest()
                yield ParsedRecord(data={"source": "titles", "source_id": source_id, "type": "other",
                                         "title": title, "year": int(year), "raw": line},
                                   file=location, line=number)


@hookimpl
def zhiku_importers():
    return [TitleListImporter()]


@hookimpl
def zhiku_works_saved(work_ids, created_ids):
    log.info("%d works saved, %d of them new", len(work_ids), len(created_ids))
