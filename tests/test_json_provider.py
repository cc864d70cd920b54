"""JSON responses: orjson's encoding, Flask's output."""
import dataclasses
import datetime as dt
import decimal
import json
import uuid

from flask import jsonify
from flask.json.provider import DefaultJSONProvider
from flask_babel import lazy_gettext
from markupsafe import Markup


@dataclasses.dataclass
class Period:
    name: str
    start: dt.date


VALUES = {"day": dt.date(2024, 1, 2), "moment": dt.datetime(2024, 1, 2, 3, 4, 5), "price": decimal.Decimal("1.50"),
          "uuid": uuid.UUID(int=5), "markup": Markup("<b>x</b>"), "period": Period("spring", dt.date(2020, 3, 1)),
          "text": "化工 café", "float": 1.0, "nothing": None, "label": lazy_gettext("Chinese"),
          "nested": [1, (2, 3), {"b": 1, "a": 2}, {10: "int keys", 9: "too"}]}


def test_responses_say_what_flask_s_own_provider_says(app):
    with app.test_request_context("/?lang=en"):
        ours = jsonify(VALUES)
        flask_default = DefaultJSONProvider(app).response(VALUES)
    assert ours.mimetype == flask_default.mimetype == "application/json"
    assert json.loads(ours.get_data()) == json.loads(flask_default.get_data())
    assert ours.get_data().endswith(b"\n") and b"\n" not in ours.get_data()[:-1]
    assert "化工".encode() in ours.get_data()  # UTF-8, not \u escapes
    assert ours.get_data().index(b'"day"') < ours.get_data().index(b'"float"')  # keys sorted


def test_debug_mode_keeps_indented_output(app):
    app.debug = True
    with app.test_request_context():
        assert b'\n  "a": 1' in jsonify({"a": 1}).get_data()
