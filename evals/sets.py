"""The evaluation collections: which questions, which documents, which store each one uses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policyqa.errors import UsageError

EVALS = Path(__file__).resolve().parent
ROOT = EVALS.parent


@dataclass(frozen=True)
class EvalSet:
    name: str
    questions: Path
    corpus: tuple[Path, ...]
    own_store: bool  # evaluated in a store of its own (ingested on demand), not the user's

    def store_path(self, user_store: Path) -> Path:
        """The seed set uses the user's store (where `make ingest` put corpus/); another set gets
        a store beside it, so evaluating never mixes its documents into the user's answers."""
        if not self.own_store:
            return user_store
        return user_store.parent / f"{user_store.name}-eval-{self.name}"


def _collection(name: str, *over: str) -> EvalSet:
    """A collection of its own under evals/NAME, asked over its documents and those of `over`."""
    docs = tuple(EVALS / n / "docs" for n in (*over, name))
    return EvalSet(name, EVALS / name / "questions.jsonl", docs, True)


SETS = {
    "seed": EvalSet("seed", EVALS / "questions" / "questions.jsonl", (ROOT / "corpus",), False),
    "unseen": _collection("unseen"),
    # goal progress: targets in one document, measured figures in others; asked over the
    # progress documents together with the whole unseen collection, whose pages compete
    "progress": _collection("progress", "unseen"),
    # a third collection by other authors on policy areas no rule was written for (youth
    # education, sick leave, tobacco, partner violence, school absence ...), asked over all
    # three collections' documents
    "fresh": _collection("fresh", "unseen", "progress"),
    # a fourth collection, written after the answer engine's last changes by two authors who
    # saw no code (elderly care, refugee employment, climate plans, daycare, alcohol, reading,
    # care staff), asked over all four collections' documents
    "blind": _collection("blind", "unseen", "progress", "fresh"),
    # a fifth, by two more authors who saw no code (dementia, loneliness, waste and recycling,
    # cash benefits; social housing, children's activity, buses, child poverty), asked over all
    # five collections' documents
    "civic": _collection("civic", "unseen", "progress", "fresh", "blind"),
    # a sixth, by two more authors who saw no code, weighted to goal progress and near misses
    # (teachers' subject coverage, pupil wellbeing, children's teeth, vaccination; drinking water,
    # new forest, cloudbursts, energy in municipal buildings), asked over all six collections' documents
    "field": _collection("field", "unseen", "progress", "fresh", "blind", "civic"),
}


def eval_set(name: str) -> EvalSet:
    if name not in SETS:
        raise UsageError(f"unknown evaluation set '{name}' (use {', '.join(SETS)})")
    return SETS[name]
