"""Goal extraction: the corpus goals, and unseen goal sentences checked field by field."""

import json
from collections import Counter
from pathlib import Path

import pytest

from ingest.goals import extract_goals_from_text

DATA = Path(__file__).resolve().parent / "data"


def _q(d):
    return None if d is None else (round(d["value"], 2), d["unit"], d["bound"])


def _gq(x):
    return None if x is None else (round(x.value, 2), x.unit, x.bound)


def field_accuracy(path: Path) -> tuple[dict, list]:
    ok, total, failures = Counter(), Counter(), []
    for line in path.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        exp = case["expected"]
        text = (case["context"] + "\n\n" if case["context"] else "") + case["sentence"]
        goals = extract_goals_from_text(text)
        goal = next((g for g in goals if case["sentence"][:30] in g.text or g.text[:30] in case["sentence"]), None)
        total["is_goal"] += 1
        if (goal is not None) == exp["is_goal"]:
            ok["is_goal"] += 1
        else:
            failures.append((case["id"], "is_goal"))
        if not exp["is_goal"] or goal is None:
            continue
        fields = {
            "kind": goal.kind == exp["kind"],
            "topic": goal.topic == exp["topic"],
            "direction": goal.direction == exp["direction"],
            "change": _gq(goal.change) == _q(exp["change"]),
            "target_value": _gq(goal.target_value) == _q(exp["target_value"]),
            "baseline": _gq(goal.baseline) == _q(exp["baseline"]),
            "baseline_year": goal.baseline_year == exp["baseline_year"],
            "deadline": goal.deadline == exp["deadline"],
            "indicator": exp["indicator_contains"].lower() in (goal.indicator or "").lower(),
            "target_group": exp["target_group_contains"] is None
            or exp["target_group_contains"].lower() in (goal.target_group or "").lower(),
        }
        for name, good in fields.items():
            total[name] += 1
            ok[name] += good
            if not good:
                failures.append((case["id"], name))
    return {k: ok[k] / total[k] for k in total}, failures


# Per-field accuracy floors, a little under what was measured; a drop below them fails.
# goal_sentences.jsonl: 98 sentences (80 goals) written for this test by a separate author.
# goal_sentences_holdout.jsonl: 68 more in other styles (budget agreements, reforms, long
# clauses); first measured before any rule was tuned on it (see the README for both figures).
FLOORS = {
    "goal_sentences.jsonl": {"is_goal": 0.95, "kind": 0.95, "topic": 0.93, "direction": 0.95,
                             "change": 0.95, "target_value": 0.95, "baseline": 0.95,
                             "baseline_year": 0.95, "deadline": 0.95, "indicator": 0.93,
                             "target_group": 0.90},
    "goal_sentences_holdout.jsonl": {"is_goal": 0.92, "kind": 0.95, "topic": 0.88, "direction": 0.88,
                                     "change": 0.88, "target_value": 0.85, "baseline": 0.85,
                                     "baseline_year": 0.85, "deadline": 0.90, "indicator": 0.85,
                                     "target_group": 0.90},
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_unseen_goal_sentences_field_by_field(name):
    acc, failures = field_accuracy(DATA / name)
    print(f"\n{name} per-field accuracy:", {k: round(v, 3) for k, v in acc.items()})
    for field, floor in FLOORS[name].items():
        assert acc[field] >= floor, (field, acc[field], [f for f in failures if f[1] == field])


def test_file_has_enough_cases():
    lines = (DATA / "goal_sentences.jsonl").read_text(encoding="utf-8").splitlines()
    goals = [json.loads(x) for x in lines if json.loads(x)["expected"]["is_goal"]]
    assert len(goals) >= 40


@pytest.mark.parametrize("sentence,kind,direction,change,target,deadline", [
    ("Antallet af hjemløse i Aarhus skal reduceres med mindst 20 procent frem mod 2030.",
     "numeric_target", "decrease", (20, "%", "at_least"), None, 2030),
    ("Andelen af unge i job skal øges fra 60 procent til mindst 75 procent i 2028.",
     "numeric_target", "increase", None, (75, "%", "at_least"), 2028),
    ("Færre ældre skal være ensomme.", "direction_only", "decrease", None, None, None),
    ("Sygefraværet skal halveres inden udgangen af 2027.", "numeric_target", "decrease",
     (50, "%", None), None, 2027),
])
def test_goal_fields(sentence, kind, direction, change, target, deadline):
    goals = extract_goals_from_text(sentence)
    assert len(goals) == 1
    g = goals[0]
    assert (g.kind, g.direction, _gq(g.change), _gq(g.target_value), g.deadline) == (
        kind, direction, change, target, deadline)


def test_intentions_under_a_lead_in():
    text = ("Udover målene vil kommunen arbejde for at opstille mål for:\n\n"
            "• Ensomhed blandt ældre\n\n• Trafiksikkerhed")
    goals = extract_goals_from_text(text)
    assert [g.kind for g in goals] == ["intention", "intention"]
    assert goals[0].topic == "elderly"


def test_status_and_conditionals_are_not_goals():
    for s in ["Målsætningen på 50 procent er nået i 2022.",
              "Hvis vi skal nå målet, kræver det flere ressourcer.",
              "Antallet af hjemløse er steget med 8 procent siden 2019."]:
        assert extract_goals_from_text(s) == [], s


def test_corpus_goals(corpus_store):
    goals = corpus_store.catalog.goals()
    minutes = [g for g in goals if g.source == "002_c24bb77234d1363e.txt"]
    goals2020 = [g for g in minutes if g.kind != "intention"]
    assert len(goals2020) == 9
    assert all(g.deadline == 2020 for g in goals2020)
    assert {g.area for g in goals2020} == {"children and young people", "adults"}
    assert sum(g.area == "children and young people" for g in goals2020) == 4
    by_topic = {g.topic: g for g in goals2020}
    home = by_topic["homelessness"]
    assert (_gq(home.change), _gq(home.target_value)) == ((25, "%", "at_least"), (4000, "persons", "at_most"))
    crime = by_topic["youth_crime"]
    assert (_gq(crime.change), _gq(crime.target_value)) == ((25, "%", "at_least"), (9, "%", "at_most"))
    place = by_topic["placements"]
    assert (_gq(place.change), _gq(place.target_value)) == ((30, "%", "at_least"), (4, "%", "at_most"))
    deaths = by_topic["drug_deaths"]
    assert (_gq(deaths.change), _gq(deaths.target_value)) == ((30, "%", "at_least"), (200, "persons", "at_most"))
    assert _gq(by_topic["drug_treatment"].target_value) == (50, "%", "at_least")
    assert _gq(by_topic["shelter_return"].target_value) == (20, "%", "at_most")
    assert _gq(by_topic["womens_shelters"].target_value) == (25, "%", "at_most")
    assert _gq(by_topic["education_vulnerable_youth"].target_value) == (50, "%", "at_least")
    assert by_topic["school_performance"].kind == "direction_only"
    assert all(g.programme and "2020" in g.programme for g in goals2020)
    assert all(g.announced == "2013-09-12" for g in goals2020)

    intentions = [g for g in minutes if g.kind == "intention"]
    assert {g.topic for g in intentions} == {"alcohol_treatment", "prostitution", "mental_illness"}

    goals2016 = [g for g in goals if g.source == "001_405a48008b46e200.txt"]
    assert len(goals2016) == 10 and all(g.kind == "direction_only" for g in goals2016)
    assert all(g.announced == "2016-05-16" for g in goals2016)
    new_home = next(g for g in goals2016 if g.topic == "homelessness")
    assert home.superseded_by == new_home.goal_id
    assert new_home.superseded_by is None and home.goal_id in new_home.supersedes
    assert not [g for g in goals if g.source in ("000_e142433872feedea.txt", "003_cfbee8ddd34a561c.txt",
                                                  "004_db4380b8391258ea.txt")]


def test_goals_in_english_pages():
    text = ("The target is to halve the number of homeless people by 2030. By the end of 2028, at "
            "least 30 per cent of all children in care must be placed with relatives. The count "
            "was 5,120 in 2024.")
    goals = extract_goals_from_text(text)
    assert len(goals) == 2  # the count is a status, not a goal
    halve, share = goals
    assert halve.deadline == 2030 and halve.direction == "decrease" and halve.change.value == 50.0
    assert share.deadline == 2028 and share.target_value.value == 30.0
    assert share.target_value.unit == "%" and share.target_value.bound == "at_least"


@pytest.mark.parametrize("table", [
    # a markdown table, and the rows the HTML converter writes for <table><thead>...<tbody>
    "## Mål og indikatorer\n\n| Indikator | Baseline (2024) | Mål 2028 |\n|---|---|---|\n"
    "| Gns. ventetid (dage) | 19 | Højst 10 |\n| Andel unge i uddannelse | 78 pct. | 85 pct. |\n",
    "## Mål og indikatorer\n\nIndikator | Baseline | Mål | Frist\n"
    "Gns. ventetid (dage) | 19 (2024) | Højst 10 | 31.12.2028\n"
    "Andel unge i uddannelse | 78 pct. (2024) | 85 pct. | 2028\n",
])
def test_goals_from_a_table_of_targets(table):
    goals = [g for g in extract_goals_from_text(table) if g.indicator]
    assert [g.indicator for g in goals] == ["Gns. ventetid (dage)", "Andel unge i uddannelse"]
    wait, share = goals
    assert (wait.target_value.value, wait.target_value.bound, wait.baseline.value) == (10.0, "at_most", 19.0)
    assert wait.direction == "decrease" and wait.deadline == 2028
    assert (share.target_value.value, share.target_value.unit, share.direction) == (85.0, "%", "increase")


@pytest.mark.parametrize("row, target, baseline, deadline", [
    ("Mål: 1; Indikator: Ventetid på plejebolig; Udgangspunkt: 94 dage (2024); Målværdi: Højst 60 dage; "
     "Frist: 2028", (60.0, "at_most"), 94.0, 2028),  # "Mål: 1" numbers the goals
    ("Mål: 2; Indikator: Andel i netværkspleje; Seneste status: 10 pct. (2024); Tidligere mål (2020-2025): "
     "15 pct.; Nyt mål: 20 pct.; Frist: 2032", (20.0, None), 10.0, 2032),  # not the old goal
    ("Indikator: Ventetid (dage); Baseline (2024): 19; Mål 2028: Højst 10", (10.0, "at_most"), 19.0, 2028),
    ("Indicator: Share placed with relatives; Current: 14 per cent; Target: at least 25 per cent; "
     "Deadline: 2027", (25.0, "at_least"), 14.0, 2027),
])
def test_the_target_column_of_a_row(row, target, baseline, deadline):
    from ingest.goals import table_row_goal

    got_target, got_baseline, got_deadline = table_row_goal(row)
    assert (got_target.value, got_target.bound) == target
    assert got_baseline.value == baseline and got_deadline == deadline


def test_a_row_without_a_target_column_is_no_goal():
    from ingest.goals import table_row_goal

    assert table_row_goal("År: 2024; Antal dødsfald: 287; Ændring fra året før: 25") is None


@pytest.mark.parametrize("text, target, deadline", [
    # a label makes a goal without a modal verb; a school year's deadline is its end year
    ("Forslag til mål: Bekymrende fravær: Andelen af elever med bekymrende fravær nedbringes fra "
     "22,4 pct. i skoleåret 2021/22 til højst 15 pct. i skoleåret 2024/25.", 15.0, 2025),
    ("Target 2: At least 75 per cent of pupils complete lower secondary school by 2030.", 75.0, 2030),
    # the present passive with a bound states a goal too
    ("Antallet af langtidssygemeldte nedbringes til højst 380 ved udgangen af 2025.", 380.0, 2025),
    # "et (del)mål om, at …" states the goal; the number the goal word names is its target, the
    # one before it where things stood
    ("at der indføres et delmål om, at mindst 55 pct. af husholdningsaffaldet genanvendes i 2027,", 55.0, 2027),
    ("Egby Kommune havde i 2025 en økologiandel på 54 pct. i sine køkkener og har et mål om 60 pct. i 2026.",
     60.0, 2026),
    # the gap to a goal is not its target
    ("Dermed mangler kommunen 1,3 procentpoint for at nå det mål, byrådet vedtog i februar: at "
     "kompetencedækningen skal være mindst 92 pct. i skoleåret 2027/28.", 92.0, 2028),
    # a goal in stages: the first stage's target with its own deadline
    ("Forvaltningen foreslår, at kompetencedækningen skal være mindst 92 pct. i skoleåret 2027/28 og mindst "
     "95 pct. i skoleåret 2029/30.", 92.0, 2028),
])
def test_the_target_and_deadline_of_goals_stated_in_prose(text, target, deadline):
    from ingest.goals import extract_goals_from_text

    goals = extract_goals_from_text(text)
    assert len(goals) == 1
    assert goals[0].target_value.value == target and goals[0].deadline == deadline


@pytest.mark.parametrize("text", [
    "I 2024 steg andelen fra 12 til 14 pct.",
    "Andelen er nedbragt fra 20 til 15 pct. siden 2021.",
    "I skoleåret 2024/25 havde 18,9 pct. af eleverne et bekymrende fravær.",
])
def test_measured_figures_are_not_goals(text):
    from ingest.goals import extract_goals_from_text

    assert extract_goals_from_text(text) == []


@pytest.mark.parametrize("text, indicator", [
    ("Vi har sat os tre klare mål: For det første skal højst 6,5 procent af de 16-24-årige stå uden "
     "uddannelse og job i 2030.", "andel af de 16-24-årige stå uden uddannelse og job"),
    ("Mål 1: Antallet af hjemløse skal reduceres til 3.000 i 2030.", "Antallet af hjemløse"),
])
def test_a_lead_in_before_a_colon_or_an_ordinal_is_not_what_the_goal_measures(text, indicator):
    from ingest.goal_fields import indicator_of

    assert indicator_of(text) == indicator


def test_a_school_year_deadline_column_and_a_baseline_year_after_the_figure():
    from ingest.goals import table_row_goal

    target, baseline, deadline = table_row_goal("Indikator: Kompetencedækning; Baseline: 87,4 pct.; "
                                                "Mål: Mindst 95 pct.; Frist: 2027/28")
    assert (target.value, baseline.value, deadline) == (95.0, 87.4, 2028)
    goal = extract_goals_from_text("Mål 1: Kompetencedækningen i folkeskolen skal være mindst 95 pct. i "
                                   "skoleåret 2027/28.\n   Baseline: 87,4 pct. (2023/24).")[0]
    assert (goal.target_value.value, goal.deadline, goal.baseline.value, goal.baseline_year) == (95.0, 2028, 87.4, 2024)


def test_a_goal_followed_by_when_it_is_to_be_reached_is_a_goal():
    text = ("The three goals\n\n• HPV, first dose: at least 90 per cent of both girls and boys should receive their "
            "first HPV dose before their 13th birthday. The goal is to be reached for children born in 2015, who "
            "turn 13 in 2028.\n\n• The previous target was reached in 2024.\n")
    goals = extract_goals_from_text(text)
    assert [(g.target_value.value, g.deadline) for g in goals] == [(90.0, 2028)]
