"""Parse throughput and memory of the CNKI importer on a synthetic 100,000-record export.

``python bench/cnki_parse_bench.py [--records N] [--html-records N] [--modes a,b] [--keep]`` (from the
repository root). The script writes its own data: CNKI EndNote records (journal articles and theses,
Chinese text, shaped like ../shared/corpora/cnki/cnkiconverter_demo_endnote.txt), N records, UTF-8 with
CRLF, and the same records in GBK. Each measurement runs in a fresh child process so that peak RSS
belongs to it alone:

- ``baseline``: a plain tag-line reader (split on ``%0``, dict of tag -> values; no encoding detection,
  no continuation lines, no mapping) — the floor any EndNote parser pays.
- ``rispy``: rispy (PyPI), the RIS reader, configured for this EndNote file through its documented
  extension point (a ``RisParser`` subclass: tag = ``%`` + one character, records from ``%0`` to CNKI's
  closing ``%W``, list tags ``%A``/``%K``/``%+``), reading the file as UTF-8 (told, not detected).
  It yields one dict of tag -> string/list per record (continuation lines joined with a space), no
  mapping, and returns the whole list at the end (so its memory grows with the file).
- ``zhiku``: ``CnkiImporter.parse`` — encoding detection and whole-file verification, record splitting,
  continuation lines, raw text, truncation check, mapping to the canonical record (a dict per record,
  streamed).
- ``zhiku+validate``: the same plus ``validate_import_record`` on every record (what ``zhiku import
  --dry-run`` does).
- ``zhiku-gbk``: ``zhiku`` on the GBK file (verification via charset-normalizer + GB18030).
- ``lxml-html`` and ``zhiku-html``: the first ``--html-records`` (20,000) of the same records as an old
  CNKI "Excel" download, an HTML table in GBK with a ``<meta charset="gb2312">``, named .xls (about 650
  bytes a row; the importer refuses HTML files over 64 MiB). ``lxml-html`` is the plain way: the whole
  document parsed by ``lxml.html.parse`` (encoding told, not detected), then each row's cell texts — no
  header recognition, no mapping. ``zhiku-html`` is ``CnkiImporter.parse``: detection and verification,
  the streamed safe parse, the header row and the same mapping as the workbooks.
"""
from __future__ import annotations

import argparse
import html
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
sys.path.insert(0, str(ROOT))

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉萍红娟建文辉力鹏宇浩凯晨欣怡子涵梓轩雨泽博"
WORDS = ["深度学习", "催化剂", "混凝土", "锂离子电池", "轨道交通", "污水处理", "图像识别", "有限元", "优化",
         "预测", "机理", "性能", "结构", "材料", "控制", "系统", "模型", "分析", "方法", "研究", "神经网络",
         "复合材料", "数值模拟", "风险评估", "可靠性", "稳定性", "微观结构", "热力学", "动力学", "传感器",
         "光催化", "电化学", "纳米颗粒", "高分子", "钢结构", "隧道", "边坡", "地下水", "土壤", "大气污染",
         "碳排放", "新能源", "电力系统", "储能", "无人机", "机器人", "路径规划", "故障诊断", "信号处理",
         "遥感", "城市规划", "供应链", "博弈", "金融风险", "企业创新", "数字经济", "乡村振兴", "教育改革"]
UNITS = ["大连理工大学化工学院", "清华大学环境学院", "东南大学交通学院", "哈尔滨工业大学材料学院"]


def fields(n: int) -> list[tuple[str, str]]:
    """One record as EndNote (tag, value) lines; *n* seeds it, so every record is a distinct work (title,
    authors, venue, pages)."""
    pick = random.Random(n)
    words = pick.sample(WORDS, 4)
    authors = [pick.choice(SURNAMES) + "".join(pick.choices(GIVEN, k=pick.randint(1, 2)))
               for _k in range(1 + n % 4)]
    lines = [("%0", "Thesis" if n % 5 == 0 else "Journal Article")]
    lines += [("%A", a) for a in authors]
    lines.append(("%+", ";".join(UNITS[(n + k) % len(UNITS)] for k in range(1 + n % 2)) + ";"))
    lines.append(("%T", f"基于{words[0]}的{words[1]}{words[2]}{words[3]}"))
    if n % 5 == 0:
        lines += [("%Y", f"{pick.choice(SURNAMES)}{pick.choice(GIVEN)}"), ("%I", UNITS[n % 4][:6]),
                  ("%9", "博士" if n % 2 else "硕士")]
    else:
        first = pick.randint(1, 300)
        lines += [("%J", f"{pick.choice(WORDS)}学报"), ("%V", str(pick.randint(1, 60))),
                  ("%N", f"{pick.randint(1, 12):02d}"), ("%P", f"{first}-{first + pick.randint(4, 12)}"),
                  ("%@", "0254-4156"), ("%L", "11-2109/TP")]
    lines.append(("%D", str(pick.randint(2000, 2023))))
    lines.append(("%K", ";;".join(words)))
    lines.append(("%X", "".join(f"本文研究了{w}的{words[(i + 1) % 4]}问题," for i, w in enumerate(words)) * 3
                  + "结果表明方法有效。"))
    lines.append(("%W", "CNKI"))
    return lines


def record(n: int) -> str:
    """One EndNote record."""
    return "".join(f"{tag} {value}\r\n" for tag, value in fields(n)) + "\r\n"


# The HTML "xls" columns (labels as KNS downloads write them) and the EndNote tag each one shows.
HTML_COLUMNS = {"SrcDatabase-来源库": "%9", "题名/Title": "%T", "作者/Author": "%A", "单位/Organ": "%+",
                "文献来源/Source": "%J", "年/Year": "%D", "卷/Volume": "%V", "期/Period": "%N",
                "页码/PageCount": "%P", "ISSN": "%@", "关键词/Keyword": "%K", "摘要/Summary": "%X", "导师": "%Y",
                "学位授予单位": "%I"}


def html_row(n: int) -> str:
    """One record as a row of the HTML table."""
    values: dict[str, list[str]] = {"%9": ["期刊"]}
    for tag, value in fields(n):
        values[tag] = [value] if tag == "%9" else values.get(tag, []) + [value]
    cells = (html.escape(";".join(values.get(tag, []))) for tag in HTML_COLUMNS.values())
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>\r\n"


def write_data(folder: Path, count: int, html_count: int) -> tuple[Path, Path, Path]:
    utf8, gbk = folder / "cnki_endnote_utf8.txt", folder / "cnki_endnote_gbk.txt"
    with open(utf8, "w", encoding="utf-8", newline="") as a, open(gbk, "w", encoding="gbk", newline="") as b:
        for n in range(count):
            text = record(n)
            a.write(text)
            b.write(text)
    table = folder / "cnki_html_gbk.xls"
    with open(table, "w", encoding="gbk", newline="") as c:
        c.write('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>\r\n'
                '<body><table border="1">\r\n<tr>' + "".join(f"<td>{label}</td>" for label in HTML_COLUMNS)
                + "</tr>\r\n")
        for n in range(html_count):
            c.write(html_row(n))
        c.write("</table></body></html>\r\n")
    return utf8, gbk, table


def baseline(path: str) -> int:
    count, current = 0, None
    with open(path, encoding="utf-8", newline="") as handle:
        for line in handle:
            line = line.rstrip("\r\n")
            if line.startswith("%0 "):
                count += current is not None
                current = {}
            if current is not None and len(line) > 2 and line[0] == "%":
                current.setdefault(line[1], []).append(line[3:])
    return count + (current is not None)


def rispy_endnote(path: str) -> int:
    from rispy import RisParser, load

    class CnkiEndNote(RisParser):
        START_TAG, END_TAG = "%0", "%W"
        DEFAULT_MAPPING = {"%0": "type", "%A": "authors", "%+": "affiliations", "%T": "title", "%J": "journal",
                           "%D": "year", "%V": "volume", "%N": "issue", "%P": "pages", "%@": "issn",
                           "%L": "call_number", "%K": "keywords", "%X": "abstract", "%Y": "supervisor",
                           "%I": "publisher", "%9": "work_kind", "%W": "provider", "UK": "unknown_tag"}
        DEFAULT_LIST_TAGS = ["%A", "%K", "%+"]
        DEFAULT_DELIMITER_MAPPING = {}

        def parse_line(self, line):
            if line[:1] == "%" and line[2:3] in (" ", "\t", "\n", ""):
                return line[:2], line[3:].strip()
            return None, line.strip()

    return len(load(Path(path), encoding="utf-8", implementation=CnkiEndNote))


def lxml_html_rows(path: str) -> int:
    import lxml.html

    tree = lxml.html.parse(path, parser=lxml.html.HTMLParser(encoding="gb18030"))
    rows = [[cell.text_content() for cell in row] for row in tree.iter("tr")]
    return len(rows) - 1  # the header row


def child(mode: str, path: str) -> None:
    # Imports happen before the clock starts: the numbers are parsing throughput, not interpreter start-up.
    from rispy import RisParser  # noqa: F401

    from plugins.cnki_import import CnkiImporter
    from repository.importers import ParsedRecord
    from repository.schemas.import_record import validate_import_record

    started, cpu_started = time.perf_counter(), time.process_time()
    if mode == "baseline":
        records = baseline(path)
    elif mode == "rispy":
        records = rispy_endnote(path)
    elif mode == "lxml-html":
        records = lxml_html_rows(path)
    else:
        records = 0
        for item in CnkiImporter().parse(path):
            if isinstance(item, ParsedRecord):
                if mode == "zhiku+validate":
                    _, errors = validate_import_record(item.data)
                    assert not errors, errors
                records += 1
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"mode": mode, "records": records, "seconds": elapsed, "cpu_seconds": cpu,
                      "peak_rss_mb": peak_kb / 1024}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--html-records", type=int, default=20_000, help="records of the HTML table")
    parser.add_argument("--modes", help="comma-separated modes to run (default: all)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files (printed)")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    folder = Path(tempfile.mkdtemp(prefix="zhiku-cnki-bench-"))
    html_count = min(args.html_records, args.records)
    utf8, gbk, table = write_data(folder, args.records, html_count)
    print(f"{args.records} records: {utf8.stat().st_size / 1e6:.1f} MB UTF-8, {gbk.stat().st_size / 1e6:.1f} MB GBK; "
          f"{html_count} records: {table.stat().st_size / 1e6:.1f} MB HTML table (GBK)")
    # The machine may be shared: CPU seconds (and records per CPU second) are the steadier comparison.
    print(f"{'mode':<16}{'records':>9}{'seconds':>9}{'records/s':>11}{'CPU s':>8}{'rec/CPU s':>11}"
          f"{'peak RSS MB':>13}")
    modes = (("baseline", utf8), ("rispy", utf8), ("zhiku", utf8), ("zhiku+validate", utf8), ("zhiku-gbk", gbk),
             ("lxml-html", table), ("zhiku-html", table))
    chosen = args.modes.split(",") if args.modes else [mode for mode, _ in modes]
    for mode, path in modes:
        if mode not in chosen:
            continue
        child_mode = mode if mode == "lxml-html" else mode.replace("-gbk", "").replace("-html", "")
        out = subprocess.run([sys.executable, __file__, "--child", child_mode, str(path)],
                             check=True, capture_output=True, text=True, cwd=ROOT).stdout
        result = json.loads(out)
        print(f"{mode:<16}{result['records']:>9}{result['seconds']:>9.1f}"
              f"{result['records'] / result['seconds']:>11.0f}{result['cpu_seconds']:>8.1f}"
              f"{result['records'] / result['cpu_seconds']:>11.0f}{result['peak_rss_mb']:>13.0f}")
    if args.keep:
        print(f"data kept in {folder}")
    else:
        for path in (utf8, gbk, table):
            path.unlink()
        os.rmdir(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
