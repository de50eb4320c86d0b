"""`policyqa feedback export --format eval`: the questions marked bad as draft evaluation items."""

import json
import os
import subprocess
import sys

import pytest

from evals.runner import load_questions
from evals.sets import eval_set
from ingest.catalog import SQLiteCatalog as Catalog
from policyqa.errors import UsageError

FIELDS = ["id", "split", "language", "question", "answerable", "expected_facts", "expected_sources",
          "expected_passage", "category", "variant", "difficulty", "history"]
CITE = {"n": 1, "source": "a_nyt_anbringelser_2024.md", "title": "Anbringelser 2024", "date": "2025-06-01",
        "doc_type": "statistik", "text": "Ved udgangen af 2024 var 10.589 børn og unge anbragt.",
        "score": 0.8, "chunk_id": "c1", "start": 0, "end": 52, "quote": "10.589 børn og unge anbragt"}


def run(*args):
    """The CLI as a subprocess, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture
def store(tmp_path):
    """A store folder whose real catalog holds good and bad ratings, one question marked bad twice."""
    path = tmp_path / "s"
    path.mkdir()
    cat = Catalog(path / "catalog.sqlite")
    cat.add_feedback("Hvor mange børn var anbragt i 2024?", "Det fremgår ikke [1].", [CITE], -1,
                     "tallet står i teksten", "da")
    cat.add_feedback("What is the homelessness target?", "The target is 25 percent [1].",
                     [CITE | {"source": "b.md"}], 1, "fint", "en")
    cat.add_feedback("Hvad koster reformen?", "Jeg kan ikke finde det.", [], -1, "", "da")
    cat.add_feedback("  hvor mange børn var  anbragt i 2024? ", "Omkring 11.000 [1].",
                     [CITE | {"quote": ""}], -1, "forkert tal", "da")
    return path


def export(store, *extra):
    return run("feedback", "export", "--store", str(store), "--format", "eval", *extra)


def test_bad_questions_become_draft_items(store):
    out = export(store)
    assert out.returncode == 0, out.stderr
    items = [json.loads(line) for line in out.stdout.splitlines()]
    # the good rating is left out; the question marked bad twice is written once
    assert [i["question"] for i in items] == ["hvor mange børn var anbragt i 2024?", "Hvad koster reformen?"]
    first, second = items
    assert list(first)[:len(FIELDS)] == FIELDS
    # the fields of a real question set, so that a completed draft fits beside them
    real = load_questions(eval_set("unseen").questions)[0]
    assert set(FIELDS) <= set(real)
    # ids from the first bad rating of each question: stable, unique, never clashing with a set's
    assert first["id"] == "fb0001" and second["id"] == "fb0003"
    assert all(i["split"] == "dev" and i["status"] == "draft" and i["language"] == "da" for i in items)
    # nothing the assistant said is taken as an expectation
    for i in items:
        assert i["answerable"] is None and i["expected_facts"] == [] and i["expected_sources"] == []
        assert i["expected_passage"] is None and i["history"] == []
    draft = first["draft"]
    assert draft["answer"] == "Omkring 11.000 [1]."  # the latest answer
    assert draft["comments"] == ["tallet står i teksten", "forkert tal"]  # both comments, oldest first
    assert draft["feedback_ids"] == [1, 4]
    assert draft["citations"] == [{"n": 1, "source": "a_nyt_anbringelser_2024.md",
                                   "title": "Anbringelser 2024",
                                   "quote": "Ved udgangen af 2024 var 10.589 børn og unge anbragt."}]
    assert draft["rated_at"].endswith("+00:00")
    assert second["draft"] | {"rated_at": None} == {"answer": "Jeg kan ikke finde det.", "citations": [],
                                                    "comments": [], "rated_at": None, "feedback_ids": [3]}


def test_out_file_is_refused_by_the_question_loader(store, tmp_path):
    path = tmp_path / "drafts.jsonl"
    out = export(store, "--out", str(path))
    assert out.returncode == 0 and out.stdout == ""
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2
    with pytest.raises(UsageError, match=r"drafts\.jsonl:1: item 'fb0001' is a draft"):
        load_questions(path, split="dev")
    with pytest.raises(UsageError, match="is a draft"):  # in any split, not only dev
        load_questions(path, split="test")
    ev = run("eval", "--questions", str(path), "--split", "dev", "--store", str(store))
    assert ev.returncode == 2 and "Traceback" not in ev.stderr
    assert ev.stderr.startswith("error: ") and len(ev.stderr.strip().splitlines()) == 1
    assert "drafts.jsonl:1: item 'fb0001' is a draft" in ev.stderr


def test_half_completed_draft_is_refused(store, tmp_path):
    """Removing "status" alone does not make a draft scorable."""
    item = json.loads(export(store).stdout.splitlines()[0])
    item.pop("status")
    path = tmp_path / "half.jsonl"
    path.write_text(json.dumps(item) + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match="item 'fb0001' has answerable null"):
        load_questions(path)
    path.write_text(json.dumps(item | {"answerable": True}) + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match="item 'fb0001' is answerable but has no expected_facts"):
        load_questions(path)
    done = item | {"answerable": True, "expected_facts": [["10.589", "10589"]],
                   "expected_sources": ["a_nyt_anbringelser_2024.md"], "category": "lookup"}
    path.write_text(json.dumps(done) + "\n", encoding="utf-8")
    assert load_questions(path, split="dev")[0]["id"] == "fb0001"
    path.write_text(json.dumps(item | {"answerable": False}) + "\n", encoding="utf-8")
    assert len(load_questions(path)) == 1  # an unanswerable item needs no facts


def test_no_bad_feedback_writes_nothing(tmp_path):
    path = tmp_path / "s"
    path.mkdir()
    Catalog(path / "catalog.sqlite").add_feedback("Hvad er målet?", "25 procent [1].", [CITE], 1, "", "da")
    target = tmp_path / "drafts.jsonl"
    out = run("feedback", "export", "--store", str(path), "--format", "eval", "--out", str(target))
    assert out.returncode == 0 and out.stdout == "" and not target.exists()
    assert out.stderr.strip() == "no feedback marked bad"


def test_help_and_unknown_format(store):
    assert "eval" in run("feedback", "export", "--help").stdout
    out = run("feedback", "export", "--store", str(store), "--format", "xls")
    assert out.returncode == 2 and "use jsonl, csv, eval" in out.stderr
