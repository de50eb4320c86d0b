import pytest

from ingest.models import Quantity
from ingest.numbers import find_quantities, format_quantity, numbers_in, parse_number, word_number


@pytest.mark.parametrize("token,value", [
    ("4000", 4000), ("4.000", 4000), ("1.250.000", 1250000), ("2,5", 2.5), ("12.5", 12.5),
    ("ni", 9), ("fire", 4), ("femogtyve", 25), ("hundrede", 100), ("tusind", 1000),
])
def test_parse_number(token, value):
    assert parse_number(token) == value


def test_word_number_unknown():
    assert word_number("hjemløse") is None


@pytest.mark.parametrize("text,expected", [
    ("reduceres med mindst 25 procent", [(25, "%", "at_least")]),
    ("et niveau på højst 4000 personer", [(4000, "persons", "at_most")]),
    ("en andel på højst ni procent", [(9, "%", "at_most")]),
    ("halvdelen af de ledige", [(50, "%", None)]),
    ("færre end 80 dødsfald", [(80, "deaths", "below")]),
    ("mere end 500 borgere", [(500, "persons", "above")]),
    ("760 millioner kroner", [(760, "million kr.", None)]),
    ("1,5 mia. kr.", [(1.5, "billion kr.", None)]),
    ("fem procentpoint", [(5, "percentage points", None)]),
])
def test_find_quantities(text, expected):
    got = [(m.quantity.value, m.quantity.unit, m.quantity.bound) for m in find_quantities(text)]
    assert got == expected


def test_ages_years_and_dates_are_not_quantities():
    text = "Andelen af 15-17-årige i 2020, opgjort den 31. august og 25-11-2020"
    assert find_quantities(text) == []


def test_numbers_in_normalises_formats():
    assert numbers_in("højst 4.000 personer i 2020") == {"4000", "2020"}
    assert numbers_in("højst ni procent") == {"9"}
    assert "25" in numbers_in("dato 25-11-2020")


def test_format_quantity_both_languages():
    q = Quantity(4000, "persons", "at_most")
    assert format_quantity(q, "da") == "højst 4.000 personer"
    assert format_quantity(q, "en") == "at most 4000 persons"
    assert format_quantity(Quantity(12500, "persons", None), "en") == "12,500 persons"


def test_grades_quarters_and_cohorts_are_ordinals_not_quantities():
    got = [(m.quantity.value, m.quantity.unit) for m in
           find_quantities("Andelen af elever i 4.-9. klasse var 86,9 pct. i 2. kvartal; 0.-3. kl. 93 pct.")]
    assert got == [(86.9, "%"), (93, "%")]


@pytest.mark.parametrize("text, bound", [("≤ 5 pct.", "at_most"), ("<= 5 pct.", "at_most"),
                                         ("≥ 90 pct.", "at_least"), (">= 90 pct.", "at_least")])
def test_a_bound_written_as_a_sign(text, bound):
    assert [(m.quantity.value, m.quantity.bound) for m in find_quantities(text)] == [(5 if "5" in text else 90, bound)]


def test_a_digit_joined_to_letters_is_part_of_a_code():
    got = [m.quantity.value for m in find_quantities("Tilslutningen til HPV1 og MFR2 var 90,3 pct.; CO2-udledningen 12 ton")]
    assert got == [90.3, 12]


def test_the_end_of_a_school_year_is_no_quantity():
    assert [m.quantity.value for m in find_quantities("mindst 92 pct. i skoleåret 2027/28 og 95 pct. i 2029/ 30")] == [92, 95]
