"""Attribution: the org-unit and people dictionaries, and matching author lines to them.

dictionary (plain values) <- tables/dictfiles (CSV, XLSX), reference (ROR list), store (the database);
text/abbreviations/parse/orgmatch (affiliation -> institution -> unit); names/people (author -> person);
engine (a work's author lines); apply/queue/corresponding (the pipeline stage and the curation queue);
cache (the in-memory index); service/commands (import, export, ``zhiku dict``, ``zhiku match``);
plugin (the hook implementations, registered as the built-in ``attribution`` plugin).
"""
