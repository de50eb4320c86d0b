"""Data safety and web security: each case of the data-safety issue, through the real store,
the real CLI (as a subprocess) and the real UI server. They add to the reliability summary."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import free_port
from ingest.pipeline import ingest
from ingest.store import Store
from policyqa.errors import DamagedStoreError

pytestmark = [pytest.mark.reliability, pytest.mark.integration]
CLI = [sys.executable, "-m", "ui.cli"]
HASH_ENV = {"POLICYQA_EMBEDDING": "hash"}


def cli(*args: str, env: dict | None = None, cwd: Path | None = None):
    full = {**os.environ, **HASH_ENV, **(env or {})}
    full["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=full, cwd=cwd,
                          stdin=subprocess.DEVNULL, timeout=300)


def one_error_line(proc) -> str:
    lines = [x for x in proc.stderr.strip().splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]


@pytest.fixture
def store_dir(tmp_path, corpus_dir) -> Path:
    path = tmp_path / "store"
    report = ingest(Store(path, spec="hash", create=True), [str(corpus_dir)], progress=False)
    assert report.count("added") == 5
    return path


# -- 1. vectors missing or emptied: an error naming the repair, and the repair re-embeds ------------
@pytest.mark.parametrize("damage", ["folder removed", "collection emptied", "one document's vectors lost"])
def test_lost_vectors_are_an_error_and_repair_restores_exactly_them(store_dir, corpus_dir, damage,
                                                                      reliability):
    store = Store(store_dir, spec="hash")
    passages = store.catalog.chunk_count()
    lost_source = store.catalog.documents()[0]["source"]
    lost = len(store.catalog.document_chunks(store.catalog.documents()[0]["doc_id"]))
    if damage == "folder removed":
        shutil.rmtree(store_dir / "chroma")
        lost = passages
    else:
        rw = Store(store_dir, spec="hash", create=True, check=False)
        if damage == "collection emptied":
            ids = rw.vectors.collection.get(include=[])["ids"]
            rw.vectors.collection.delete(ids=ids)
            lost = passages
        else:
            rw.vectors.delete_source(lost_source)
    reliability["faults injected"] += 1

    asked = cli("ask", "--store", str(store_dir), "Hvad er målet for hjemløshed?")
    assert asked.returncode == 1 and "--repair" in one_error_line(asked), asked.stdout
    assert not (damage == "folder removed" and (store_dir / "chroma").exists())  # nothing recreated
    again = cli("ingest", "--store", str(store_dir), str(corpus_dir))
    assert again.returncode == 1 and "--repair" in one_error_line(again)

    fixed = cli("ingest", "--repair", "--json", "--store", str(store_dir))
    assert fixed.returncode == 0, fixed.stderr
    summary = json.loads(fixed.stdout)
    assert summary["repair"]["vectors_written"] == lost, summary
    repaired = Store(store_dir, spec="hash")
    assert repaired.vectors.count() == passages
    rerun = json.loads(cli("ingest", "--json", "--store", str(store_dir), str(corpus_dir)).stdout)
    assert rerun["unchanged"] == 5 and rerun["chunks_written"] == 0
    ok = cli("ask", "--json", "--store", str(store_dir), "Hvem er formand for Rådet for Socialt Udsatte?")
    assert ok.returncode == 0 and "Vibe Klarup" in json.loads(ok.stdout)["answer"]


def test_a_store_rebuilt_by_another_process_is_read_afresh(store_dir, corpus_dir, tmp_path):
    """Chroma caches one system per path for the life of a process. After another process has
    removed the store and built it again, reopening it here must read the new files, not the
    cached old ones (which gave stale counts, or "Missing metadata segment")."""
    assert Store(store_dir, spec="hash").vectors.count() > 0  # this process now caches the old one
    shutil.rmtree(store_dir)
    more = tmp_path / "more"
    shutil.copytree(corpus_dir, more)
    (more / "extra.txt").write_text("Målet er, at antallet af hjemløse skal halveres inden 2030. " * 40)
    assert cli("ingest", "--store", str(store_dir), str(more)).returncode == 0
    rebuilt = Store(store_dir, spec="hash")
    assert rebuilt.vectors.count() == rebuilt.catalog.chunk_count()


# -- 2. uploads never replace a different document ------------------------------------------------
def test_upload_with_a_taken_name_never_replaces_another_document(tmp_path, reliability):
    from assistant.service import Assistant
    from ui.controller import Controller

    store = Store(tmp_path / "store", spec="hash", create=True)
    ctl = Controller(Assistant(store))
    first, second = tmp_path / "a" / "notes 1.txt", tmp_path / "b" / "notes_1.txt"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_text("Vejle Kommune vil halvere antallet af hjemløse inden 2030.", encoding="utf-8")
    second.write_text("Odense Kommune har 412 borgere i misbrugsbehandling i 2025.", encoding="utf-8")
    ctl.upload([str(first)])
    status = ctl.upload([str(second)], lang="en")
    reliability["bad inputs tried"] += 1
    sources = sorted(r["source"] for r in store.catalog.documents())
    assert sources == ["notes_1-2.txt", "notes_1.txt"], (sources, status)
    assert "stored as notes\\_1-2.txt" in status  # Markdown-escaped in the UI
    assert "unchanged" in ctl.upload([str(first)], lang="en")  # the same bytes again: no third copy
    assert len(store.catalog.documents()) == 2
    third = tmp_path / "c" / "notes_1.txt"
    third.parent.mkdir()
    third.write_text("Aarhus Kommune vil have 300 flere i job i 2027.", encoding="utf-8")
    assert "updated" in ctl.upload([str(third)], replace=True, lang="en")  # an explicit replace
    docs = {r["source"]: r for r in store.catalog.documents()}
    assert len(docs) == 2 and "300" in store.catalog.document_by_id(docs["notes_1.txt"]["doc_id"])["text"]


# -- 3. CSV cells cannot start a formula ----------------------------------------------------------
def test_every_csv_neutralises_formulas(tmp_path, reliability):
    from assistant.service import Assistant
    from ui.controller import Controller

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.md").write_text(
        "# Handleplan\n\n=HYPERLINK(\"http://evil\") Antallet af hjemløse i Vejle skal falde med "
        "20 procent inden 2030.\n\n-Andelen af unge i job skal stige til 60 procent inden 2028.\n",
        encoding="utf-8")
    store_dir = tmp_path / "store"
    store = Store(store_dir, spec="hash", create=True)
    ingest(store, [str(docs)], progress=False)
    store.catalog.add_feedback("=1+1", "+answer", [], 1, "@SUM(A1)\tx", "da")
    store.catalog.add_feedback("\rcmd", "ok", [], -1, "-2+3", "da")
    reliability["bad inputs tried"] += 1

    def cells(text: str) -> list[str]:
        return [c for row in csv.reader(io.StringIO(text)) for c in row]

    goals = cli("goals", "--csv", "--store", str(store_dir))
    feedback = cli("feedback", "export", "--format", "csv", "--store", str(store_dir))
    download = Path(Controller(Assistant(Store(store_dir, spec="hash", create=True))).goals_csv_file(
        None, None, None, None)).read_text(encoding="utf-8")
    for name, text in (("goals --csv", goals.stdout), ("feedback csv", feedback.stdout),
                       ("UI download", download)):
        assert text.strip(), name
        bad = [c for c in cells(text) if c[:1] in ("=", "+", "-", "@", "\t", "\r")
               and not _is_number(c)]  # a rating of -1 is a number, never a formula
        assert not bad, (name, bad)
    assert "'=HYPERLINK" in goals.stdout and "'=1+1" in feedback.stdout and "'@SUM" in feedback.stdout


def _is_number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


# -- 4. a 0-byte or damaged catalog is an error, never an empty store -----------------------------
@pytest.mark.parametrize("damage", ["zero bytes", "garbage"])
def test_damaged_catalog_is_an_error_and_never_overwritten(store_dir, corpus_dir, damage, reliability):
    cat = store_dir / "catalog.sqlite"
    for side in ("catalog.sqlite-wal", "catalog.sqlite-shm"):
        (store_dir / side).unlink(missing_ok=True)
    cat.write_bytes(b"" if damage == "zero bytes" else b"not a database " * 100)
    before = cat.read_bytes()
    reliability["faults injected"] += 1
    for args in (["ask", "Hvad er målet for hjemløshed?"], ["goals", "--json"],
                 ["feedback", "export"], ["ingest", str(corpus_dir)]):
        proc = cli(*args, "--store", str(store_dir))
        assert proc.returncode == 1, (args, proc.stdout, proc.stderr)
        assert "repair" in one_error_line(proc), args
        assert cat.read_bytes() == before, args  # not a byte written over the evidence
    fixed = cli("ingest", "--repair", "--json", "--store", str(store_dir), str(corpus_dir))
    assert fixed.returncode == 0, fixed.stderr
    assert list(store_dir.glob("catalog.sqlite.damaged-*"))  # set aside, not deleted
    assert json.loads(fixed.stdout)["chunks_written"] == 0  # the vectors were still there
    ok = cli("ask", "--json", "--store", str(store_dir), "Hvem er formand for Rådet for Socialt Udsatte?")
    assert ok.returncode == 0 and "Vibe Klarup" in json.loads(ok.stdout)["answer"]


def test_library_refuses_a_zero_byte_catalog(tmp_path):
    (tmp_path / "catalog.sqlite").write_bytes(b"")
    with pytest.raises(DamagedStoreError):
        Store(tmp_path, spec="hash")
    with pytest.raises(DamagedStoreError):
        Store(tmp_path, spec="hash", create=True)
    assert (tmp_path / "catalog.sqlite").stat().st_size == 0


# -- 5. folder walks stay inside the folder, and say what they skipped ----------------------------
def test_folder_walk_stays_inside_and_lists_what_it_skipped(tmp_path, monkeypatch, reliability):
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Adgangskoden til serveren er hemmelig-1234.", encoding="utf-8")
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "plan.txt").write_text("Vejle Kommune vil halvere antallet af hjemløse inden 2030.",
                                   encoding="utf-8")
    (docs / "link.txt").symlink_to(secret)
    (docs / "sub" / "loop").symlink_to(docs, target_is_directory=True)
    (docs / "out").symlink_to(secret.parent, target_is_directory=True)
    (docs / "report.pptx").write_bytes(b"PK\x03\x04 not really")
    (docs / "locked").mkdir()
    (docs / "locked" / "hidden.txt").write_text("Skjult tekst.", encoding="utf-8")
    reliability["bad inputs tried"] += 5

    real_scandir = os.scandir

    def scandir(path):  # root reads any folder, so an unreadable one is simulated
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    store = Store(tmp_path / "store", spec="hash", create=True)
    report = ingest(store, [str(docs)], progress=False)
    summary = report.summary()
    assert [r["source"] for r in store.catalog.documents()] == ["plan.txt"]
    skipped = {s["source"]: s["reason"] for s in summary["skips"]}
    assert "out of the folder" in skipped["link.txt"] and "out of the folder" in skipped["out"]
    assert "already visited" in skipped["sub/loop"]
    assert "unsupported" in skipped["report.pptx"] and "cannot be read" in skipped["locked"]
    assert summary["skipped"] == 5
    monkeypatch.setattr(os, "scandir", real_scandir)
    proc = cli("ingest", "--store", str(tmp_path / "store2"), str(docs))
    assert proc.returncode == 0 and "skipped 4" in proc.stdout
    assert "skipped: link.txt: symbolic link leading out of the folder" in proc.stderr
    assert "hemmelig" not in cli("ask", "--store", str(tmp_path / "store2"), "Hvad er adgangskoden?").stdout


# -- 6. exit codes as documented, per command -----------------------------------------------------
def test_exit_codes_of_every_command(store_dir, tmp_path, reliability):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(os.urandom(2048))
    s = ["--store", str(store_dir)]
    nowhere = ["--store", str(tmp_path / "nowhere")]
    cases = [
        (["ingest", *s, str(bad)], 2),  # every file failed
        (["ingest", *s, str(tmp_path / "missing")], 2),
        (["ingest", "--json", *s, str(store_dir.parent / "store")], 0),
        (["ask", *s, "Hvad er målet for hjemløshed?"], 0),
        (["ask", *nowhere, "Hvad er målet?"], 1),
        (["ask", *s, "--doc-type", "memo", "Hvad er målet?"], 2),
        (["ask", *s, "--from", "2020-01-01", "--to", "2019-01-01", "Hvad er målet?"], 2),
        (["ask", *s, "--from", "not a date", "Hvad er målet?"], 2),
        (["goals", *s, "--json"], 0),
        (["goals", *nowhere], 1),
        (["feedback", "export", *s], 0),
        (["feedback", "export", *s, "--format", "xls"], 2),
        (["eval", *s, "--split", "nonsense"], 2),
        (["serve", "--port", "not-a-port"], 2),
        (["no-such-command"], 2),
    ]
    for args, code in cases:
        proc = cli(*args)
        assert proc.returncode == code, (args, proc.returncode, proc.stderr[-300:])
        if code:
            assert "Traceback" not in proc.stderr, args
    doc_type = cli("ask", *s, "--doc-type", "memo", "Hvad er målet?")
    assert "unknown document type 'memo'" in doc_type.stderr and "no documents" not in doc_type.stdout
    reliability["bad inputs tried"] += len(cases)


# -- 7. web basics: headers, Host check, login throttling -----------------------------------------
def _get(url: str, host: str | None = None, data: bytes | None = None):
    req = urllib.request.Request(url, data=data)
    if host:
        req.add_header("Host", host)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers  # case-insensitive, as HTTP header names are
    except urllib.error.HTTPError as e:
        return e.code, e.headers


def test_ui_headers_host_check_and_login_lockout(store_dir, reliability):
    from policyqa.settings import Settings
    from ui.app import launch

    port = free_port()
    settings = Settings(store=store_dir, embedding="hash", port=port, auth="anna:rigtig-kode",
                        allowed_hosts="policyqa.kommune.local", login_max_failures=5)
    app = launch(settings, block=False)
    base = f"http://127.0.0.1:{port}"
    try:
        code, headers = _get(base + "/")
        assert code == 200
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert _get(base + "/", host="attacker.example:7860")[0] == 400  # DNS rebinding
        assert _get(base + "/", host=f"policyqa.kommune.local:{port}")[0] == 200
        assert _get(base + "/", host=f"localhost:{port}")[0] == 200
        wrong = b"username=anna&password=forkert"
        codes = [_get(base + "/login", data=wrong)[0] for _ in range(6)]
        assert codes[:5] == [400] * 5 and codes[5] == 429, codes
        status, headers = _get(base + "/login", data=b"username=anna&password=rigtig-kode")
        assert status == 429 and int(headers["Retry-After"]) > 0  # locked, even the right password
        reliability["bad inputs tried"] += 8
    finally:
        app.close()


def test_login_throttle_unlocks_after_the_lockout():
    from ui.security import LoginThrottle

    now = [0.0]
    t = LoginThrottle(max_failures=3, window=60, lockout=30, clock=lambda: now[0])
    for _ in range(3):
        assert t.retry_after("1.2.3.4") == 0
        t.failed("1.2.3.4")
    assert t.retry_after("1.2.3.4") == 30 and t.retry_after("5.6.7.8") == 0
    now[0] = 31
    assert t.retry_after("1.2.3.4") == 0


# -- 8. the smaller points ------------------------------------------------------------------------
def _make_read_only(folder: Path, mount_point: Path) -> tuple[Path, callable]:
    """A truly read-only copy of a store, even for root: a read-only bind mount, or else
    immutable files (chattr +i). Returns the read-only path and how to undo it."""
    mount_point.mkdir()
    if subprocess.run(["mount", "--bind", str(folder), str(mount_point)], capture_output=True).returncode == 0:
        if subprocess.run(["mount", "-o", "remount,ro,bind", str(mount_point)],
                          capture_output=True).returncode == 0:
            return mount_point, lambda: subprocess.run(["umount", str(mount_point)], check=True)
        subprocess.run(["umount", str(mount_point)])
    paths = [str(p) for p in [folder, *folder.rglob("*")]]
    if shutil.which("chattr") and subprocess.run(["chattr", "+i", *paths], capture_output=True).returncode == 0:
        return folder, lambda: subprocess.run(["chattr", "-i", *paths], check=True)
    if os.geteuid() != 0:
        for p in [folder, *folder.rglob("*")]:
            p.chmod(0o555 if p.is_dir() else 0o444)
        return folder, lambda: [p.chmod(0o755) for p in [folder, *folder.rglob("*")]]
    pytest.skip("cannot make a read-only folder here (no bind mount, no chattr, running as root)")


def test_read_only_store_still_answers(store_dir, tmp_path, reliability):
    copy = tmp_path / "copy"
    shutil.copytree(store_dir, copy)
    ro, undo = _make_read_only(copy, tmp_path / "ro")
    try:
        with pytest.raises(OSError):
            (ro / "probe").write_text("x")
        before = {p.relative_to(ro): p.read_bytes() for p in ro.rglob("*") if p.is_file()}
        s = ["--store", str(ro)]
        asked = cli("ask", "--json", *s, "Hvem er formand for Rådet for Socialt Udsatte?")
        assert asked.returncode == 0, asked.stderr
        assert "Vibe Klarup" in json.loads(asked.stdout)["answer"]
        assert cli("goals", "--json", *s).returncode == 0
        assert cli("feedback", "export", *s).returncode == 0
        after = {p.relative_to(ro): p.read_bytes() for p in ro.rglob("*") if p.is_file()}
        assert after == before
    finally:
        undo()
    reliability["faults injected"] += 1


def test_goal_extraction_is_linear_and_skips_sentences_without_goal_cues(monkeypatch, reliability):
    """A 24 MB text took minutes: every sentence went through the number parser, and a bounded
    look-ahead was a copy of the rest of the text. Both fixed; speed itself is in the benchmark."""
    import ingest.goals as goals_mod
    from ingest.chunk import chunk_document
    from ingest.models import RawDocument
    from ingest.parse import parse
    from ingest.text import split_sentences

    line = ("Dette er en meget lang tekst om sociale mål og indsatser i kommunen. " * 20 + "\n"
            + "Kommunen skal nedbringe antallet af hjemløse med 20 procent inden 2030.\n\n")
    text = line * 300
    doc = parse(RawDocument("big.txt", "/tmp/big.txt", "text", text, "utf-8", "x"))
    chunks = chunk_document(doc)
    parsed = []
    real = goals_mod.find_quantities
    monkeypatch.setattr(goals_mod, "find_quantities", lambda t, **kw: parsed.append(t) or real(t, **kw))
    goals = goals_mod.extract_goals(doc, chunks)
    assert len(goals) == 300 and all(g.change and g.change.value == 20 for g in goals)
    # only the 300 goal sentences reach the number parser, not the 6,000 others
    assert all("skal" in t for t in parsed) and len(parsed) <= 2 * 300, len(parsed)
    assert all(g.chunk_id and g.start >= next(c.start for c in chunks if c.chunk_id == g.chunk_id)
               for g in goals)

    class Counting(str):  # counts how many characters the sentence splitter copies
        copied = 0

        def __getitem__(self, key):
            piece = str.__getitem__(self, key)
            Counting.copied += len(piece)
            return piece

    long_text = Counting("Dette er en sætning. " * 5000)
    assert len(split_sentences(long_text)) == 5000
    assert Counting.copied < 100 * len(long_text), Counting.copied  # was ~ n^2 / 2
    reliability["bad inputs tried"] += 1


def test_prune_works_from_another_working_folder(tmp_path, corpus_dir, reliability):
    docs = tmp_path / "docs"
    shutil.copytree(corpus_dir, docs)
    store = tmp_path / "store"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert cli("ingest", "--store", str(store), "docs", cwd=tmp_path).returncode == 0
    (docs / sorted(os.listdir(docs))[0]).unlink()
    proc = cli("ingest", "--json", "--prune", "--store", str(store), str(docs), cwd=elsewhere)
    summary = json.loads(proc.stdout)
    assert (summary["removed"], summary["unchanged"], summary["chunks_written"]) == (1, 4, 0), summary
    reliability["bad inputs tried"] += 1


def test_odd_file_names_are_printed_escaped(tmp_path, reliability):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "evil\x1b[2Jname\n.txt").write_bytes(b"")
    proc = cli("ingest", "--store", str(tmp_path / "store"), str(docs))
    assert "\x1b" not in proc.stderr and "\\x1b[2Jname\\n.txt" in proc.stderr, proc.stderr
    reliability["bad inputs tried"] += 1


def test_non_latin_questions_are_not_taken_for_english(assistant, reliability):
    from ingest.text import detect_language

    assert detect_language("ما هو الهدف الوطني للتشرد؟") == "ar"
    assert detect_language("Какова цель по бездомности?") == "ru"
    answer = assistant.ask("ما هو الهدف الوطني للتشرد؟")
    assert answer.language != "en"
    reliability["bad inputs tried"] += 1
