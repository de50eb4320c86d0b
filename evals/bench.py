"""Benchmark: ingest throughput next to the model's raw encode throughput, and warm question latency.

Run: python -m evals.bench [--corpus corpus] [--repeat 3] [--json out.json]
Prints figures; never asserts on them (timings belong in benchmarks, not tests).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from evals.metrics import percentile

QUESTIONS = [
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


def bench_ingest(corpus: list[str], threads: int) -> dict:
    """Ingest into a fresh store; then encode the same chunk texts raw, same model and batch."""
    from ingest.chunk import chunk_document
    from ingest.load import iter_targets, load
    from ingest.parse import parse
    from ingest.pipeline import ingest
    from ingest.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="policyqa-bench-"))
    try:
        store = Store(tmp / "store", threads=threads, create=True)
        emb = store.embedder  # load the model before timing
        emb.encode_passages(["opvarmning"] * 4)
        t0 = time.perf_counter()
        report = ingest(store, corpus, progress=False)
        ingest_s = time.perf_counter() - t0
        chunks = report.chunks_written
        texts = []
        for source, target in iter_targets(corpus):
            doc = parse(load(source, target, max_bytes=50_000_000))
            texts += [c.embed_text() for c in chunk_document(doc)]
        t0 = time.perf_counter()
        for i in range(0, len(texts), 32):
            emb.encode_passages(texts[i: i + 32])
        raw_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = ingest(store, corpus, progress=False)
        reingest_s = time.perf_counter() - t0
        return {
            "documents": report.count("added"), "chunks": chunks,
            "ingest_s": round(ingest_s, 2), "ingest_chunks_per_s": round(chunks / ingest_s, 2),
            "raw_encode_chunks_per_s": round(len(texts) / raw_s, 2),
            "ingest_vs_raw": round((chunks / ingest_s) / (len(texts) / raw_s), 3),
            "reingest_unchanged_s": round(reingest_s, 3), "reingest_chunks_written": again.chunks_written,
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench_questions(store_path: Path, repeat: int, threads: int) -> dict:
    from assistant.service import Assistant
    from ingest.store import Store

    bot = Assistant(Store(store_path, threads=threads))
    for q in QUESTIONS:  # warm: model loaded, caches filled
        bot.ask(q)
    times = []
    for _ in range(repeat):
        for q in QUESTIONS:
            bot.store.embedder.clear_cache()  # every question pays for its embedding
            t0 = time.perf_counter()
            bot.ask(q)
            times.append((time.perf_counter() - t0) * 1000)
    return {"questions": len(times), "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1), "mean_ms": round(statistics.fmean(times), 1)}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", nargs="+", default=["corpus"])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None, help="Also write the figures here.")
    args = ap.parse_args(argv)
    from ingest.pipeline import ingest
    from ingest.store import Store

    out = {"ingest": bench_ingest(args.corpus, args.threads)}
    tmp = Path(tempfile.mkdtemp(prefix="policyqa-bench-q-"))
    try:
        ingest(Store(tmp, threads=args.threads, create=True), args.corpus, progress=False)
        out["ask_warm"] = bench_questions(tmp, args.repeat, args.threads)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    i, q = out["ingest"], out["ask_warm"]
    print(f"ingest: {i['chunks']} chunks from {i['documents']} documents in {i['ingest_s']} s = "
          f"{i['ingest_chunks_per_s']} chunks/s; raw encode of the same chunks: "
          f"{i['raw_encode_chunks_per_s']} chunks/s (ingest/raw = {i['ingest_vs_raw']})")
    print(f"re-ingest of the unchanged corpus: {i['reingest_unchanged_s']} s, "
          f"{i['reingest_chunks_written']} chunks written")
    print(f"ask (warm, {q['questions']} questions): p50 {q['p50_ms']} ms, p95 {q['p95_ms']} ms")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    main()
