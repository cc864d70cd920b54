"""Benchmark and fuzz the Web of Science importer (not run in CI).

    python bench/wos_bench.py throughput [--sizes 10000,100000] [--parsers zhiku,metaknowledge,...]
    python bench/wos_bench.py distinct [--rounds 30]
    python bench/wos_bench.py fuzz [--inputs 100000] [--seed 1]

``throughput`` writes a plain-text export of N records (the real records of ../shared/corpora/wos repeated
with fresh UTs, or a built-in record when the corpora are absent), then parses it in a child process per
parser, side by side on the same file, reporting records/s (the file's N records over the wall time,
imports included), records per CPU second (steadier than wall time on a shared machine) and peak RSS. Several sizes show whether memory stays flat as the file grows. What each
parser does per record:

- ``zhiku``: the importer as ``zhiku import`` calls it: read the record, keep the mapped tags, map it to
  the canonical ImportRecord dict (names, affiliations and their links, RP, OI/RI, EM, dates, raw text).
  Records are not kept, and not validated against the schema (that is the ingest pipeline's step).
- ``zhiku-read``: the reader alone (record boundaries, tag values, raw text), no mapping.
- ``metaknowledge`` (``pip install metaknowledge``): ``RecordCollection(path)``, which splits each record
  into a tag -> lines dict and keeps every record in memory; tag values are interpreted lazily, on access.
- ``metaknowledge-fields``: the same, then every tag Zhiku maps is read from every record
  (``record.get(tag)``), so that its per-tag interpretation runs too; ``field_errors`` counts the values
  on which it raised (it does on some real PD dates).

metaknowledge counts records it cannot read as one "bad" entry of its collection; ``kept`` says how many it
returned. The ratios printed pair like with like: ``zhiku-read`` / ``metaknowledge`` (both split records
into tag values and interpret nothing), ``zhiku`` / ``metaknowledge-fields`` (both interpret the tags Zhiku
maps; Zhiku also links names, addresses, RP, OI/RI and e-mails); ``zhiku`` / ``metaknowledge`` is printed as
well, because the issue's goal is stated against it, though Zhiku does much more per record.

The generated file repeats the corpora's few hundred distinct records, so the importer's small caches of
values that recur in real batches (names, addresses, journals, dates, categories) hit more often than in a
real export. ``distinct`` gives the other bound: the distinct records alone, every such cache emptied
before each pass, so that nothing recurs.
``fuzz`` mutates small WoS files (bytes flipped, lines dropped or duplicated, tags garbled, files cut,
encodings mixed) and checks that parsing raises nothing but the importer's own ImporterError.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora" / "wos"
sys.path.insert(0, str(ROOT))

_BUILTIN = """PT J
AU Wang, XM
   Smith, JR
AF Wang, Xiao-Ming
   Smith, John R.
TI A synthetic record for the benchmark
SO JOURNAL OF SYNTHETIC RESULTS
LA English
DT Article
DE benchmark; parsing
ID THROUGHPUT
AB An abstract that is long enough to look like one. It talks about parsing files quickly and about
   memory that stays flat.
C1 [Wang, Xiao-Ming] Tsinghua Univ, Sch Environm, Beijing 100084, Peoples R China.
   [Smith, John R.] Univ Michigan, Dept Chem, Ann Arbor, MI 48109 USA.
RP Wang, XM (corresponding author), Tsinghua Univ, Sch Environm, Beijing 100084, Peoples R China.
EM wangxm@tsinghua.edu.cn
OI Wang, Xiao-Ming/0000-0002-1825-0097
FU National Natural Science Foundation of China [21978151]
CR Geim AK, 2007, NAT MATER, V6, P183, DOI 10.1038/nmat1849
   Novoselov KS, 2004, SCIENCE, V306, P666, DOI 10.1126/science.1102896
NR 2
TC 1
Z9 1
SN 0376-7388
PD JAN 15
PY 2021
VL 618
AR 118707
DI 10.1016/j.memsci.2020.118707
WC Engineering, Chemical
SC Engineering
UT WOS:000600000000001
ER
"""


# --- data -------------------------------------------------------------------------------------------

def template_records() -> list[list[str]]:
    """The PT..ER records of the plain-text corpora (or the built-in one), as lists of lines."""
    texts = []
    if CORPORA.is_dir():
        for path in sorted(CORPORA.iterdir()):
            raw = path.read_bytes()
            text = raw.decode("utf-16") if raw[:2] == b"\xff\xfe" else raw.decode("utf-8-sig")
            if text.startswith("FN ") or text.startswith("PT "):
                texts.append(text)
    texts = texts or [_BUILTIN]
    records, current = [], None
    for text in texts:
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            if line.startswith("PT "):
                current = [line]
            elif current is not None:
                current.append(line)
                if line.rstrip() == "ER":
                    records.append(current)
                    current = None
    return [r for r in records if any(line.startswith("UT ") for line in r)]


def tab_template() -> tuple[str, list[str]]:
    """The header and data rows of the largest tab-delimited corpus file (or the built-in record as a row)."""
    best: tuple[str, list[str]] | None = None
    if CORPORA.is_dir():
        for path in sorted(CORPORA.iterdir()):
            raw = path.read_bytes()
            text = raw.decode("utf-16") if raw[:2] == b"\xff\xfe" else raw.decode("utf-8-sig")
            lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            if "\t" not in lines[0] or "UT" not in lines[0].split("\t"):
                continue
            width = len(lines[0].rstrip("\t").split("\t"))
            rows = [line for line in lines[1:] if line.count("\t") + 1 >= width]
            if best is None or len(rows) > len(best[1]):
                best = lines[0], rows
    if best is None:
        fields = {}
        for line in _BUILTIN.splitlines():
            if line[:2].strip() and line[:2] != "ER":
                fields[line[:2]] = line[3:]
            elif line.strip():
                fields[list(fields)[-1]] += "; " + line.strip()
        best = "\t".join(fields), ["\t".join(fields.values())]
    return best


def write_tab_export(path: Path, count: int) -> None:
    """Write a tab-delimited export (UTF-8 with BOM, CRLF, as "Tab delimited (Win, UTF-8)") of *count* rows
    with unique UTs."""
    header, rows = tab_template()
    ut = header.split("\t").index("UT")
    with open(path, "w", encoding="utf-8-sig", newline="\r\n") as out:
        out.write(header + "\n")
        for number in range(count):
            cells = rows[number % len(rows)].split("\t")
            cells[ut] = f"WOS:{number:015d}"
            out.write("\t".join(cells) + "\n")


def write_export(path: Path, count: int) -> None:
    """Write a plain-text export of *count* records with unique UTs."""
    templates = template_records()
    with open(path, "w", encoding="utf-8-sig", newline="\n") as out:
        out.write("FN Clarivate Analytics Web of Science\nVR 1.0\n")
        for number in range(count):
            record = templates[number % len(templates)]
            for line in record:
                out.write(f"UT WOS:{number:015d}\n" if line.startswith("UT ") else line + "\n")
            out.write("\n")
        out.write("EF\n")


# --- throughput -------------------------------------------------------------------------------------

PARSERS = ("zhiku", "zhiku-read", "metaknowledge", "metaknowledge-fields")


def child(parser: str, path: str, records: int) -> None:
    """Parse *path* (*records* records) with *parser* in this process and print one JSON line of numbers."""
    start = time.perf_counter()
    result: dict = {}
    if parser == "zhiku":
        from plugins.wos_import import WosImporter
        from repository.importers import RecordError

        errors = sum(isinstance(item, RecordError) for item in WosImporter().parse(path))
        result = {"errors": errors}
    elif parser == "zhiku-read":
        from plugins.wos_import import plaintext, tabdelimited
        from plugins.wos_import.reading import detect_encoding, iter_blocks
        from repository.importers import RecordError

        with open(path, "rb") as stream:
            head = stream.read(65536)
        encoding = detect_encoding(head)
        reader = plaintext if head[encoding.bom:].startswith(b"FN ") else tabdelimited
        items = reader.read_records(path, iter_blocks(path, encoding))
        result = {"errors": sum(isinstance(item, RecordError) for item in items)}
    else:
        import metaknowledge

        collection = metaknowledge.RecordCollection(path)
        if parser == "metaknowledge-fields":
            from plugins.wos_import.tags import MAPPED_TAGS

            failed = 0
            for record in collection:
                for tag in MAPPED_TAGS:
                    try:
                        record.get(tag)
                    except Exception:  # noqa: BLE001 - metaknowledge raises on some real values (PD)
                        failed += 1
            result["field_errors"] = failed
        result.update(kept=len(collection), bad=sum(record.bad for record in collection))
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime  # the whole process, interpreter start and imports included
    print(json.dumps({"parser": parser, "records": records, **result, "seconds": round(seconds, 2),
                      "records_per_s": round(records / seconds), "cpu_seconds": round(cpu, 2),
                      "records_per_cpu_s": round(records / cpu), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}))


#: (numerator, denominator, what the pair compares), printed after each size.
RATIOS = (
    ("zhiku-read", "metaknowledge", "like with like: tags split, nothing interpreted"),
    ("zhiku", "metaknowledge-fields", "like with like: the mapped tags interpreted (Zhiku also links them)"),
    ("zhiku", "metaknowledge", "canonical records vs tags split only (the issue's goal)"),
)


def throughput(sizes: list[int], python: str, parsers: list[str], layout: str) -> None:
    """Run every parser on an export of each size, one after the other, and print their numbers."""
    if layout == "tab":
        print("metaknowledge does not read tab-delimited WoS exports: Zhiku alone", file=sys.stderr)
        parsers = [p for p in parsers if not p.startswith("metaknowledge")]
    elif subprocess.run([python, "-c", "import metaknowledge"], capture_output=True).returncode != 0:
        print("metaknowledge is not installed for", python, "- comparing nothing", file=sys.stderr)
        parsers = [p for p in parsers if not p.startswith("metaknowledge")]
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = Path(tmp) / f"wos_{size}.txt"
            (write_tab_export if layout == "tab" else write_export)(path, size)
            distinct = len(tab_template()[1]) if layout == "tab" else len(template_records())
            print(f"# {size} records ({min(distinct, size)} distinct ones repeated, UTs renumbered), "
                  f"{path.stat().st_size / 1e6:.1f} MB", flush=True)
            rates = {}
            for parser in parsers:
                result = subprocess.run([python, __file__, "child", parser, str(path), str(size)],
                                        capture_output=True, text=True, cwd=ROOT)
                print(result.stdout.strip() or result.stderr.strip()[-2000:], flush=True)
                if result.returncode == 0:
                    rates[parser] = json.loads(result.stdout)
            for ours, theirs, meaning in RATIOS:
                if ours in rates and theirs in rates:
                    wall, cpu = (rates[ours][key] / rates[theirs][key] for key in ("records_per_s", "records_per_cpu_s"))
                    print(f"#   {ours} / {theirs}: {wall:.1f}x wall, {cpu:.1f}x CPU ({meaning})", flush=True)


def distinct(rounds: int) -> None:
    """Parse the distinct plain-text records of the corpora, every importer cache emptied before each pass,
    and print the median records per CPU second: the rate when nothing recurs from record to record."""
    import importlib
    import pkgutil

    import plugins.wos_import as package
    from plugins.wos_import import WosImporter

    modules = [importlib.import_module(f"{package.__name__}.{info.name}") for info in pkgutil.iter_modules(package.__path__)]
    caches = {id(value): value for module in modules for value in vars(module).values() if hasattr(value, "cache_clear")}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "distinct.txt"
        count = len(template_records())
        write_export(path, count)
        times = []
        for _ in range(rounds):
            for cache in caches.values():
                cache.cache_clear()
            start = time.process_time()
            parsed = sum(1 for _ in WosImporter().parse(str(path)))
            times.append(time.process_time() - start)
    median = sorted(times)[len(times) // 2]
    print(json.dumps({"parser": "zhiku", "records": count, "parsed": parsed, "caches_emptied": len(caches),
                      "rounds": rounds, "median_cpu_seconds": round(median, 4), "records_per_cpu_s": round(count / median)}))


# --- fuzz -------------------------------------------------------------------------------------------

def _seeds() -> list[bytes]:
    seeds = [p.read_bytes() for p in (ROOT / "tests" / "plugins" / "wos" / "fixtures").iterdir()]
    if CORPORA.is_dir():
        for path in CORPORA.iterdir():
            data = path.read_bytes()
            seeds.append(data[:6000])  # small slices keep each input fast
    return seeds


def mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        choice = rng.random()
        if not data:
            data += rng.randbytes(rng.randint(1, 20))
        elif choice < 0.25:
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif choice < 0.4:
            del data[rng.randrange(len(data)):][: rng.randint(1, 200)]
        elif choice < 0.5:
            data = data[: rng.randrange(len(data))]
        elif choice < 0.65:
            lines = bytes(data).split(b"\n")
            index = rng.randrange(len(lines))
            op = rng.random()
            if op < 0.4:
                del lines[index]
            elif op < 0.7:
                lines.insert(index, lines[rng.randrange(len(lines))])
            else:
                lines[index] = rng.choice([b"ER", b"EF", b"PT J", b"FN x", b"UT ", b"C1 [", b"RP (reprint author)",
                                           b"OI /", b"PD 99 99", b"   ", b"\t\t\t", b"\r", "中".encode("gbk")])
            data = bytearray(b"\n".join(lines))
        elif choice < 0.75:
            position = rng.randrange(len(data))
            data[position:position] = rng.choice([b"\x00", b"\xff\xfe", b"\r", b"\t", b"[", b"]", b";", b"/",
                                                  b"\xe4\xb8", "é".encode("latin-1")])
        elif choice < 0.85:
            data = bytearray(rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b""]) + bytes(data))
        else:
            start = rng.randrange(len(data))
            data[start:start] = data[rng.randrange(len(data)):][: rng.randint(1, 500)]
    return bytes(data)


def fuzz(inputs: int, seed: int) -> int:
    from plugins.wos_import import WosImporter
    from repository.importers import ImporterError

    importer = WosImporter()
    rng = random.Random(seed)
    seeds = _seeds()
    failures = 0
    counts = {"records": 0, "record_errors": 0, "importer_errors": 0}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "fuzz.txt")
        for number in range(inputs):
            data = mutate(rng.choice(seeds), rng)
            with open(path, "wb") as out:
                out.write(data)
            try:
                importer.sniff(path, data[:65536])
                for item in importer.parse(path):
                    if getattr(item, "data", None) is not None:
                        counts["records"] += 1
                    else:
                        counts["record_errors"] += 1
                        if "could not map the record" in item.reason:
                            raise AssertionError(item.reason)
            except ImporterError:
                counts["importer_errors"] += 1
            except Exception as exc:  # noqa: BLE001 - exactly what the fuzzer looks for
                failures += 1
                keep = Path(tmp).parent / f"wos_fuzz_failure_{seed}_{number}.bin"
                keep.write_bytes(data)
                print(f"input {number}: {type(exc).__name__}: {exc} (saved as {keep})", file=sys.stderr)
            if number and number % 10000 == 0:
                print(f"{number} inputs, {time.perf_counter() - start:.0f}s, {counts}", flush=True)
    print(json.dumps({"inputs": inputs, "failures": failures, **counts,
                      "seconds": round(time.perf_counter() - start)}))
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    bench = sub.add_parser("throughput")
    bench.add_argument("--sizes", default="10000,100000", help="record counts, comma-separated")
    bench.add_argument("--python", default=sys.executable, help="interpreter with the parsers installed")
    bench.add_argument("--parsers", default=",".join(PARSERS), help="comma-separated, of: " + ", ".join(PARSERS))
    bench.add_argument("--format", choices=["plain", "tab"], default="plain", help="the export format to write")
    once = sub.add_parser("distinct", help="the distinct corpus records, importer caches emptied before each pass")
    once.add_argument("--rounds", type=int, default=30)
    fuzzing = sub.add_parser("fuzz")
    fuzzing.add_argument("--inputs", type=int, default=100_000)
    fuzzing.add_argument("--seed", type=int, default=1)
    kid = sub.add_parser("child")
    kid.add_argument("parser", choices=PARSERS)
    kid.add_argument("path")
    kid.add_argument("records", type=int)
    args = parser.parse_args()
    if args.command == "throughput":
        parsers = args.parsers.split(",")
        unknown = set(parsers) - set(PARSERS)
        if unknown:
            parser.error(f"unknown parsers: {', '.join(sorted(unknown))}")
        throughput([int(s) for s in args.sizes.split(",")], args.python, parsers, args.format)
        return 0
    if args.command == "distinct":
        distinct(args.rounds)
        return 0
    if args.command == "fuzz":
        return fuzz(args.inputs, args.seed)
    child(args.parser, args.path, args.records)
    return 0


if __name__ == "__main__":
    sys.exit(main())
