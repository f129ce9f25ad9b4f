"""Parsing the JSON body of a request that anyone may send: refused cleanly, never a server error.

json.loads alone lets through to a 500: nesting deep enough to exhaust the recursion limit (here, or
later in code that walks or re-serialises the value); NaN, Infinity and 1e999 (which reads as
infinity), none of them storable in PostgreSQL's jsonb; and strings holding NUL, which neither jsonb
nor text columns can store. Views call `json_body_parse` and answer `JSONBodyInvalid.message`.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.utils.translation import gettext_lazy as _

# Far deeper than any xAPI statement, credential or quiz answer, and far below the recursion limit,
# so code that walks the value afterwards (canonicalisation, grading, the jsonb encoder) is safe too.
MAX_DEPTH = 64


class JSONBodyInvalid(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e999 reads as infinity, which jsonb cannot store either
        raise ValueError(f"{text} is out of range")
    return number


def _check(value: Any) -> None:
    """Walk the value without recursion: refuse nesting beyond MAX_DEPTH and any string with NUL."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise JSONBodyInvalid(_("The request contains a NUL character, which cannot be stored."))
        elif isinstance(item, (dict, list)):
            if depth > MAX_DEPTH:
                raise JSONBodyInvalid(_("The request's JSON is nested too deeply."))
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)


def json_body_parse(data: bytes | str) -> Any:
    """The value of a JSON document; JSONBodyInvalid (a ValueError) with a message for people when
    it is not JSON, nests too deeply or holds a NUL character in a key or a string."""
    try:
        value = json.loads(data, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError as error:
        raise JSONBodyInvalid(_("The request's JSON is nested too deeply.")) from error
    except (ValueError, UnicodeDecodeError) as error:
        raise JSONBodyInvalid(_("The request is not valid JSON.")) from error
    _check(value)
    return value
