import pytest

from ingest.dates import find_dates, parse_date


@pytest.mark.parametrize("text,iso", [
    ("18-03-2016", "2016-03-18"),
    ("30. oktober 2013", "2013-10-30"),
    ("28. aug. 2020", "2020-08-28"),
    ("25-11-2020", "2020-11-25"),
    ("12. sept. 2013", "2013-09-12"),
    ("1. maj 2021", "2021-05-01"),
    ("2021-05-01", "2021-05-01"),
    ("3.4.2019", "2019-04-03"),
])
def test_danish_date_formats(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["31-02-2020", "hello", "", "99. maj 2020"])
def test_invalid_dates_are_none(text):
    assert parse_date(text) is None


def test_find_dates_in_prose():
    text = "Mødedato: 30. oktober 2013. Ministeren præsenterede d. 12 september 2013 målene."
    assert [d[0] for d in find_dates(text)] == ["2013-10-30", "2013-09-12"]


def test_find_dates_ignores_numbers_that_are_not_dates():
    assert find_dates("højst 4000 personer og 25 procent i 2020") == []
