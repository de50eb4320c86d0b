"""The CLI as a subprocess: exit codes, one-line errors, help texts."""

import json
import os
import subprocess
import sys

import pytest


def run(*args, env=None, timeout=120):
    e = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], capture_output=True, text=True,
                          env=e, timeout=timeout, stdin=subprocess.DEVNULL)


def test_help_lists_commands():
    out = run("--help")
    assert out.returncode == 0
    for cmd in ("ingest", "ask", "goals", "serve", "eval", "feedback"):
        assert cmd in out.stdout


def test_missing_store_is_one_line_exit_1(tmp_path):
    out = run("ask", "hvad?", "--store", str(tmp_path / "none"))
    assert out.returncode == 1
    assert out.stderr.strip().startswith("error: no store") and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_bad_path_is_exit_2(tmp_path):
    out = run("ingest", str(tmp_path / "nope"), "--store", str(tmp_path / "s"))
    assert out.returncode == 2 and "no such file" in out.stderr and "Traceback" not in out.stderr


def test_bad_setting_is_exit_2(tmp_path):
    out = run("goals", "--store", str(tmp_path), env={"POLICYQA_TOP_K": "zero"})
    assert out.returncode == 2 and out.stderr.startswith("error: invalid setting")


def test_bad_option_is_exit_2():
    out = run("ask", "--no-such-option", "x")
    assert out.returncode == 2


@pytest.mark.integration
def test_ingest_json_summary_and_goals(tmp_path, corpus_dir):
    store = str(tmp_path / "s")
    out = run("ingest", str(corpus_dir), "--store", store, "--json")
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["added"] == 5 and summary["failed"] == 0 and summary["chunks_written"] > 0
    again = json.loads(run("ingest", str(corpus_dir), "--store", store, "--json").stdout)
    assert again["chunks_written"] == 0 and again["unchanged"] == 5
    goals = json.loads(run("goals", "--store", store, "--json").stdout)
    assert len(goals) == 22
    home = json.loads(run("goals", "--store", store, "--json", "--topic", "hjemløshed").stdout)
    assert {g["kind"] for g in home} == {"numeric_target", "direction_only"}
    csv = run("goals", "--store", store, "--csv", "--year", "2020").stdout
    assert csv.splitlines()[0].startswith("announced,programme") and len(csv.splitlines()) == 10


@pytest.mark.integration
def test_feedback_export(tmp_path):
    from ingest.catalog import SQLiteCatalog as Catalog

    store = tmp_path / "s"
    store.mkdir()
    cat = Catalog(store / "catalog.sqlite")
    cat.add_feedback("Hvad er målet?", "Målet er 25 procent [1].", [{"n": 1, "source": "a.txt"}], -1,
                     "mangler årstal", "da")
    out = run("feedback", "export", "--store", str(store))
    row = json.loads(out.stdout.splitlines()[0])
    assert row["rating"] == -1 and row["comment"] == "mangler årstal" and row["citations"][0]["source"] == "a.txt"
    csv_file = tmp_path / "fb.csv"
    run("feedback", "export", "--store", str(store), "--format", "csv", "--out", str(csv_file))
    assert csv_file.read_text(encoding="utf-8").splitlines()[0].startswith("id,created,question")
