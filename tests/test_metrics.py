"""Metric functions on hand-computed cases."""

import math

import pytest

from evals import metrics as M


def test_normalise_thousands_and_case():
    assert M.normalise("Højst 4.000 Personer") == "højst 4000 personer"
    assert M.normalise("4,000 and 12 500") == "4000 and 12500"
    assert M.normalise("2,5 procent") == "2,5 procent"


def test_fact_present_is_token_exact_for_numbers():
    assert M.fact_present(["4"], "fire eller 4 procent")
    assert not M.fact_present(["4"], "i 2014 og 40")
    assert M.fact_present(["4000", "4.000"], "højst 4.000 personer")
    assert M.fact_present(["Vibe Klarup"], "formand **Vibe Klarup**")


def test_facts_correct_with_forbidden():
    assert M.facts_correct([["25"], ["4000"]], "25 procent og 4000 personer")
    assert not M.facts_correct([["25"], ["4000"]], "25 procent")
    assert not M.facts_correct([["4000"]], "4000, ikke 10.000", forbidden=["10000"])


def test_recall_mrr_ndcg_by_hand():
    ranked = ["a", "b", "a", "c", "d"]
    assert M.recall_at_k(ranked, ["c"], 1) == 0
    assert M.recall_at_k(ranked, ["c"], 3) == 1  # duplicates removed: a, b, c
    assert M.recall_at_k(ranked, ["b", "x"], 5) == 0.5
    assert M.mrr_at_k(ranked, ["c"]) == pytest.approx(1 / 3)
    assert M.mrr_at_k(ranked, ["z"]) == 0
    # relevant at ranks 2 and 3: dcg = 1/log2(3) + 1/log2(4); ideal = 1 + 1/log2(3)
    expected = (1 / math.log2(3) + 0.5) / (1 + 1 / math.log2(3))
    assert M.ndcg_at_k(ranked, ["b", "c"]) == pytest.approx(expected)


def test_citation_precision_and_recall():
    facts = [["25"], ["4000"]]
    assert M.citation_precision(["... 25 procent ...", "ingen tal her"], facts) == 0.5
    assert M.citation_precision([], facts) is None
    assert M.citation_recall(["a.txt", "b.txt"], ["a.txt", "c.txt"]) == 0.5


def test_unsupported_numbers():
    passages = ["reduceres med mindst 25 procent ... højst 4000 personer frem mod 2020"]
    assert M.unsupported_numbers("25 procent, højst 4.000 personer i 2020 [1]", passages) == []
    assert M.unsupported_numbers("by 2030, at most 4000 [1]", passages) == ["2030"]


def test_abstention_scores():
    s = M.abstention_scores([True, True, False, False], [True, False, True, False])
    assert s == {"precision": 0.5, "recall": 0.5}
    assert M.abstention_scores([False], [False]) == {"precision": None, "recall": None}


def test_percentile_nearest_rank():
    vals = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert M.percentile(vals, 50) == 50 and M.percentile(vals, 95) == 100
    assert M.percentile([], 50) is None


def test_a_word_fact_is_not_stated_by_its_negation():
    met = ["nået", "met"]
    assert M.fact_present(met, "Målet blev nået i 2025 [1][2].")
    assert not M.fact_present(met, "Målet er ikke nået: 790 mod højst 552 [1][2].")
    assert not M.fact_present(met, "The target was not met.")
    assert M.fact_present(["ikke nået", "not met"], "Målet er ikke nået.")
    assert M.fact_present(["400"], "ikke 400")  # numbers are not words: no negation rule
