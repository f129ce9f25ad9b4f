"""The shared JSON body parser (lms/jsonbody.py): what would have been a server error later (recursion,
NaN or infinity in jsonb, NUL in any stored text) is refused as unreadable input with a message."""

import pytest
from django.utils import translation

from lms.jsonbody import MAX_DEPTH, JSONBodyInvalid, json_body_parse


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_ordinary_json_is_parsed():
    assert json_body_parse(b'{"slot": 1, "response": {"value": 2.5, "text": "Nguy\\u1ec5n"}}') == {
        "slot": 1, "response": {"value": 2.5, "text": "Nguyễn"},
    }
    json_body_parse(nested(MAX_DEPTH))


@pytest.mark.parametrize(("body", "message"), [
    (b"{oops", "The request is not valid JSON."),
    (b"", "The request is not valid JSON."),
    (b"\xff\xfe\xfa", "The request is not valid JSON."),
    (b'{"value": NaN}', "The request is not valid JSON."),
    (b'{"value": -Infinity}', "The request is not valid JSON."),
    (b'{"value": 1e999}', "The request is not valid JSON."),  # reads as infinity
    (nested(3000).encode(), "The request's JSON is nested too deeply."),  # RecursionError inside json.loads
    ('{"slot":1,"response":' + nested(3000) + "}", "The request's JSON is nested too deeply."),
    (nested(MAX_DEPTH + 1), "The request's JSON is nested too deeply."),
    (b'{"a\\u0000b": 1}', "The request contains a NUL character, which cannot be stored."),
    (b'{"a": [{"b": ["x", "\\u0000"]}]}', "The request contains a NUL character, which cannot be stored."),
    (b'"\\u0000"', "The request contains a NUL character, which cannot be stored."),
])
def test_unreadable_or_unstorable_json_is_refused_with_a_message(body, message):
    with pytest.raises(JSONBodyInvalid) as refusal:
        json_body_parse(body)
    with translation.override("en"):
        assert str(refusal.value.message) == message


def test_an_escaped_backslash_before_u0000_is_not_a_nul():
    assert json_body_parse(b'["\\\\u0000"]') == ["\\u0000"]
