"""Unit tests of the web-safety and CSV-safety helpers (the end-to-end cases are in test_data_safety)."""

import pytest

from policyqa.spreadsheet import csv_text, safe_cell
from ui.security import allowed_hosts, host_name


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+45 12 34", "'+45 12 34"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"), ("\rcmd", "'\rcmd"), ("Antallet skal falde", "Antallet skal falde"),
    ("", ""), (-1, -1), (4000.0, 4000.0), (None, None),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_csv_text_neutralises_every_text_cell():
    text = csv_text([{"a": "=cmd|' /C calc'!A0", "b": 3}], ["a", "b"])
    assert text.splitlines() == ["a,b", "'=cmd|' /C calc'!A0,3"]


@pytest.mark.parametrize("header, name", [
    ("127.0.0.1:7860", "127.0.0.1"), ("LOCALHOST", "localhost"), ("[::1]:7860", "::1"),
    ("policyqa.kommune.local", "policyqa.kommune.local"), ("evil.example:80", "evil.example"), ("", ""),
])
def test_host_name(header, name):
    assert host_name(header) == name


def test_allowed_hosts():
    assert allowed_hosts("127.0.0.1") == {"127.0.0.1", "localhost", "::1"}
    assert "10.0.0.5" in allowed_hosts("10.0.0.5")
    hosts = allowed_hosts("0.0.0.0", ["policyqa.local", " [fe80::1] ", ""])
    assert "0.0.0.0" not in hosts and {"policyqa.local", "fe80::1"} <= hosts
