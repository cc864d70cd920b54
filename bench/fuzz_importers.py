"""Fuzz the CNKI and EI importers: ``python bench/fuzz_importers.py [--inputs N] [--seed S]``.

Seeds are the importers' test fixtures (CNKI's include HTML "xls" tables in GBK, UTF-8 and UTF-16), the
CNKI/EI files of ../shared/corpora (when present) and a CNKI Excel export written here as .xlsx (openpyxl)
and .xls (xlwt, a dev dependency). Each input is a seed mutated at byte level (flip, insert, delete,
truncate, splice random bytes, re-encode to GBK/UTF-16) or line level (drop, duplicate, swap, shuffle
lines, cut a line, empty a tag's value, join lines, change line endings). Both importers parse every input; the run fails when an exception other than
ImporterError escapes or an item is neither a ParsedRecord nor a RecordError. Run from the repository root.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from plugins.cnki_import import CnkiImporter  # noqa: E402
from plugins.ei_import import EiImporter  # noqa: E402
from repository.importers import ImporterError, ParsedRecord, RecordError  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED_DIRS = [ROOT / "tests/plugins/cnki/fixtures", ROOT / "tests/plugins/ei/fixtures",
             ROOT.parent / "shared/corpora/cnki", ROOT.parent / "shared/corpora/ei"]
MAX_SEED = 24 * 1024  # mutate the head of large corpus files: keeps inputs fast, still many records


def workbook_seeds() -> list[bytes]:
    """A small CNKI Excel export as .xlsx and as .xls bytes."""
    import openpyxl
    import xlwt

    rows = [["SrcDatabase-来源库", "Title-题名", "Author-作者", "Organ-单位", "Source-文献来源", "Year-年",
             "URL-网址"],
            ["期刊", "基于深度学习的催化剂活性预测", "王小明*;李华;", "大连理工大学化工学院;", "化工学报", 2019,
             "https://kns.cnki.net/kcms/detail/detail.aspx?dbname=CJFDLAST2019&filename=HGSZ201903010"],
            ["硕士", "高速铁路桥梁徐变研究", "张三;", "北京交通大学;", "北京交通大学", 2020, ""]]
    xlsx, xls = io.BytesIO(), io.BytesIO()
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(xlsx)
    old_book = xlwt.Workbook(encoding="utf-8")
    sheet = old_book.add_sheet("s")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    old_book.save(xls)
    return [xlsx.getvalue(), xls.getvalue()]


def seeds() -> list[bytes]:
    out = workbook_seeds()
    for folder in SEED_DIRS:
        if folder.is_dir():
            out.extend(path.read_bytes()[:MAX_SEED] for path in sorted(folder.iterdir())
                       if path.is_file() and path.suffix != ".py")
    return out


def byte_mutation(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    choice = rng.randrange(7)
    if not data:
        return bytes(rng.randbytes(rng.randrange(1, 64)))
    position = rng.randrange(len(data))
    if choice == 0:
        for _ in range(rng.randrange(1, 8)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    elif choice == 1:
        data[position:position] = rng.randbytes(rng.randrange(1, 16))
    elif choice == 2:
        del data[position:position + rng.randrange(1, 64)]
    elif choice == 3:
        del data[position:]
    elif choice == 4:
        data[position:position] = rng.choice([b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\r", b"\xe4\xb8", b"\x81\x30"])
    elif choice == 5:
        try:
            data = bytearray(data.decode("utf-8").encode(rng.choice(["gbk", "utf-16", "gb18030", "utf-8-sig"]),
                                                         errors="replace"))
        except UnicodeDecodeError:
            data = data[::-1]
    else:
        data = bytearray(b"".join(rng.sample([bytes(data[i:i + 64]) for i in range(0, len(data), 64)],
                                             k=len(range(0, len(data), 64)))))
    return bytes(data)


def line_mutation(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    if len(lines) < 2:
        return byte_mutation(data, rng)
    choice = rng.randrange(8)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    if choice == 0:
        del lines[i]
    elif choice == 1:
        lines.insert(i, lines[j])
    elif choice == 2:
        lines[i], lines[j] = lines[j], lines[i]
    elif choice == 3:
        rng.shuffle(lines)
    elif choice == 4:
        lines[i] = lines[i][:rng.randrange(len(lines[i]) + 1)]
    elif choice == 5:
        colon = max(lines[i].find(b":"), lines[i].find(b" "))
        lines[i] = lines[i][:colon + 1] if colon >= 0 else b""
    elif choice == 6:
        lines[i:i + 2] = [b" ".join(lines[i:i + 2])]
    else:
        return b"\r".join(lines) if rng.random() < 0.5 else b"\r\n".join(lines)
    return b"\n".join(lines)


def check(importer, path: str, head: bytes) -> None:
    importer.sniff(path, head)
    try:
        for item in importer.parse(path):
            if not isinstance(item, (ParsedRecord, RecordError)):
                raise AssertionError(f"{importer.name} yielded {type(item).__name__}")
    except ImporterError:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20240501)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = seeds()
    importers = [CnkiImporter(), EiImporter()]
    failures, started = 0, time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "input.txt")
        for n in range(args.inputs):
            data = rng.choice(pool)
            for _ in range(rng.randrange(1, 4)):
                data = (byte_mutation if rng.random() < 0.5 else line_mutation)(data, rng)
            with open(path, "wb") as handle:
                handle.write(data)
            for importer in importers:
                try:
                    check(importer, path, data[:4096])
                except Exception:  # noqa: BLE001 - the point of a fuzzer
                    failures += 1
                    keep = Path(folder).parent / f"fuzz_failure_{n}_{importer.name}.bin"
                    keep.write_bytes(data)
                    print(f"input {n} ({importer.name}) saved to {keep}:\n{traceback.format_exc()}", file=sys.stderr)
                    if failures >= 10:
                        return 1
    elapsed = time.perf_counter() - started
    print(f"{args.inputs} inputs x 2 importers from {len(pool)} seeds: {failures} failures, "
          f"{elapsed:.1f} s ({args.inputs / elapsed:.0f} inputs/s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
