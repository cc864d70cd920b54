"""The import kit: what every file importer needs besides its own format and mapping.

An importer plugin (``zhiku_importers`` hook, contract in ``repository.importers``) usually consists of a
format module (how a record looks in the file) and a mapping (its fields -> the canonical ImportRecord).
The rest is here, once, for every importer:

- ``textfile``: encoding detection (BOM, strict UTF-8, charset-normalizer) *verified* over the whole file,
  and streaming the file as lines (CRLF, LF, CR), so that a record keeps its ``file:line`` position;
- ``tagged``: tag-line records (``TAG value`` lines, continuation lines, raw text, truncation);
  a format supplies only ``match_tag(line)`` and its start tags (``TagFormat``);
- ``workbook``: the rows of an Excel workbook (.xlsx with openpyxl, .xls with xlrd) or of an HTML table
  saved as one (``htmltable``: verified encoding, lxml's HTML parser in a safe configuration, streamed)
  with their row numbers, and ``LabelledTable``, a header-row table format;
- ``driver``: the parse loop (text files and tables): detect, recognise the format, split records, map, and yield
  ``ParsedRecord`` or ``RecordError(file, line, reason)``; only an unusable file raises ``ImporterError``;
- ``fields``: value cleaners that never raise (whitespace, lists, years, partial dates, DOI/ISSN/ISBN,
  CN serial numbers, keyword terms, the ``fp:`` fingerprint source id, ``compact``).

docs/plugins.md ("Writing an importer") shows how the pieces fit.
"""
