"""The built wheel carries every data file the code reads (a non-editable install loses
undeclared ones without a word)."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def test_wheel_holds_the_data_files(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    str(ROOT), "-w", str(tmp_path)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("policyqa-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    needed = {"assistant/lexicon_extra.tsv", "evals/questions/questions.jsonl",
              "evals/questions/dev_extra.jsonl", "evals/unseen/questions.jsonl"}
    needed |= {f"evals/unseen/docs/{p.name}" for p in (ROOT / "evals/unseen/docs").iterdir()}
    needed |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "assistant").glob("*.tsv")}
    assert needed <= names, sorted(needed - names)
