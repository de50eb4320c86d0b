"""The README stays true: its settings table matches the Settings object."""

import re
from pathlib import Path

from policyqa.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def test_settings_table_matches_settings():
    text = README.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `POLICYQA_([A-Z_]+)` \|", text, re.M))
    fields = {name.upper() for name in Settings.model_fields}
    assert documented == fields


def test_every_setting_has_help_text():
    for name, field in Settings.model_fields.items():
        assert field.description, name


def test_readme_starts_with_the_two_commands():
    text = README.read_text(encoding="utf-8")
    first = text.index("make run")
    assert first < 1500 and "make test" in text[first: first + 400]
