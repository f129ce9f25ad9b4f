"""A numeric answer that is not a finite float (too large an integer, infinity, NaN as float or Decimal) is
refused as malformed, never a server error."""

from decimal import Decimal

import pytest

from assessments.bank.payload import clean_payload
from assessments.choices import QuestionType as T
from assessments.errors import MalformedResponse
from assessments.grading import grade, parse_number

NUMERIC = clean_payload(T.NUMERIC, {"answers": [{"value": 8}]})


@pytest.mark.parametrize("value", [
    10**400, -(10**400), float("inf"), float("nan"), "1e400", "-1e400",
    Decimal("1e400"), Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity"),
], ids=lambda value: repr(value)[:24])
def test_numbers_beyond_a_float_are_malformed(value):
    with pytest.raises(MalformedResponse) as error:
        grade(T.NUMERIC, NUMERIC, {"value": value})
    assert error.value.message


def test_large_but_finite_numbers_are_read():
    assert parse_number(10**300) == 1e300
    assert parse_number(Decimal("8")) == 8.0
    assert grade(T.NUMERIC, NUMERIC, {"value": 8}).fraction == 1
