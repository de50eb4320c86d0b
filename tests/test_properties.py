"""Property-based tests: loaders, Danish dates and numbers, cleaning and goal extraction never
crash on arbitrary input, and round-trip what they can."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.clean import to_blocks
from ingest.dates import parse_date
from ingest.goals import extract_goals_from_text
from ingest.html import html_to_text
from ingest.load import decode
from ingest.numbers import find_quantities, format_number, numbers_in, parse_number
from policyqa.errors import DocumentError

DANISH_WORDS = st.sampled_from(
    "Antallet af hjemløse skal reduceres med mindst 25 procent frem mod 2030 højst 4.000 personer "
    "Færre unge skal begå kriminalitet halvdelen ni fire og i på Målet er at Byrådet vil • - # : , ."
    .split())
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=3000))
def test_decode_never_crashes(data):
    text, enc = decode(data)
    assert isinstance(text, str) and enc


@FAST
@given(st.text(max_size=3000))
def test_decode_round_trips_utf8(text):
    assert decode(text.encode("utf-8"))[0] == text or text.startswith("\ufeff")


@FAST
@given(st.text(max_size=2000))
def test_cleaning_never_crashes_and_spans_hold(text):
    clean, blocks = to_blocks(text)
    for b in blocks:
        assert clean[b.start:b.end] == b.text


@FAST
@given(st.text(max_size=2000))
def test_html_never_crashes(text):
    out, _ = html_to_text(f"<html><body>{text}</body></html>")
    assert isinstance(out, str)


@FAST
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)))
def test_dates_round_trip(d):
    months = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
              "oktober", "november", "december"]
    assert parse_date(d.strftime("%d-%m-%Y")) == d.isoformat()
    assert parse_date(f"{d.day}. {months[d.month - 1]} {d.year}") == d.isoformat()
    assert parse_date(d.isoformat()) == d.isoformat()


@FAST
@given(st.text(max_size=60))
def test_parse_date_never_crashes(text):
    assert parse_date(text) is None or len(parse_date(text)) == 10


@FAST
@given(st.integers(min_value=0, max_value=10**9))
def test_danish_numbers_round_trip(n):
    assert parse_number(format_number(n, "da")) == n
    assert str(n) in numbers_in(f"højst {format_number(n, 'da')} personer")


@FAST
@given(st.floats(min_value=0, max_value=1000, allow_nan=False).map(lambda x: round(x, 1)))
def test_decimal_comma_round_trip(x):
    assert abs(parse_number(format_number(x, "da")) - x) < 1e-9


@FAST
@given(st.text(max_size=500))
def test_number_finders_never_crash(text):
    find_quantities(text)
    numbers_in(text)


@FAST
@given(st.lists(DANISH_WORDS, max_size=60).map(" ".join))
def test_goal_extraction_never_crashes(text):
    try:
        goals = extract_goals_from_text(text)
    except DocumentError:
        return  # too little text to be a document
    for g in goals:
        assert g.text and g.kind in ("numeric_target", "direction_only", "intention")
