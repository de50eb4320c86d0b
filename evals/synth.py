"""Deterministic synthetic corpora for benchmarks: Danish committee minutes and press releases
recombined from the corpus, with varied municipalities, committees, dates, topics and numbers.

Every document sets goals for one (municipality, year) pair, so a generated question such as
"Hvad er målet for hjemløse i Vejle Kommune frem mod 2031?" has exactly one right answer.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.clean import to_blocks
from ingest.load import iter_targets, load

MUNICIPALITIES = """Albertslund Allerød Assens Ballerup Billund Bornholm Brøndby Brønderslev Dragør Egedal
Esbjerg Fanø Favrskov Faxe Fredensborg Fredericia Frederiksberg Frederikshavn Frederikssund Furesø
Faaborg-Midtfyn Gentofte Gladsaxe Glostrup Greve Gribskov Guldborgsund Haderslev Halsnæs Hedensted
Helsingør Herlev Herning Hillerød Hjørring Holbæk Holstebro Horsens Hvidovre Høje-Taastrup Hørsholm
Ikast-Brande Ishøj Jammerbugt Kalundborg Kerteminde Kolding København Køge Langeland Lejre Lemvig
Lolland Lyngby-Taarbæk Læsø Mariagerfjord Middelfart Morsø Norddjurs Nordfyns Nyborg Næstved Odder
Odense Odsherred Randers Rebild Ringkøbing-Skjern Ringsted Roskilde Rudersdal Rødovre Samsø Silkeborg
Skanderborg Skive Slagelse Solrød Sorø Stevns Struer Svendborg Syddjurs Sønderborg Thisted Tønder
Tårnby Vallensbæk Varde Vejen Vejle Vesthimmerland Viborg Vordingborg Ærø Aabenraa Aalborg Aarhus""".split()
COMMITTEES = ["Social- og Sundhedsudvalget", "Børne- og Ungeudvalget", "Beskæftigelsesudvalget",
              "Socialudvalget", "Sundheds- og Omsorgsudvalget", "Økonomiudvalget"]
MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
          "oktober", "november", "december"]
GOALS = [
    ("homelessness", "Antallet af hjemløse i {m} Kommune skal reduceres med mindst {p} procent. "
                     "Det svarer til et niveau på højst {n} personer."),
    ("drug_deaths", "Antallet af narkorelaterede dødsfald i {m} Kommune skal reduceres til højst {n} personer."),
    ("placements", "Andelen af anbringelser, der bryder sammen, skal falde med mindst {p} procent."),
    ("youth_crime", "Andelen af 15-17-årige udsatte unge, der begår kriminalitet, skal falde til højst {q} procent."),
    ("drug_treatment", "Andelen af borgere, som afslutter en stofmisbrugsbehandling som stoffri, "
                       "øges til mindst {p} procent."),
    ("womens_shelters", "Andelen af kvinder på kvindekrisecentre, der har behov for mere end ét ophold, "
                        "reduceres med mindst {q} procent."),
    ("employment", "Ledigheden blandt unge i {m} Kommune skal falde til højst {q} procent."),
    ("elderly", "Andelen af ældre, der modtager hjemmehjælp efter et rehabiliteringsforløb, skal falde "
                "med {q} procent."),
]


@dataclass(frozen=True)
class SynthQuestion:
    question: str
    expected: str  # a number that the right answer states
    source: str


def _paragraphs(corpus: list[str]) -> list[str]:
    out = []
    for source, target in iter_targets(corpus):
        _, blocks = to_blocks(load(source, target, max_bytes=50_000_000).text)
        out += [b.text for b in blocks if b.kind == "paragraph" and 20 <= len(b.text.split()) <= 120]
    return out


def generate(out: Path, n_chunks: int, corpus: list[str] | None = None, seed: int = 7
             ) -> list[SynthQuestion]:
    """Write documents of about ten chunks each until about `n_chunks` chunks exist."""
    rng = random.Random(seed)
    paras = _paragraphs(corpus or ["corpus"])
    out.mkdir(parents=True, exist_ok=True)
    questions: list[SynthQuestion] = []
    n_docs = max(1, n_chunks // 10)
    for i in range(n_docs):
        m = MUNICIPALITIES[i % len(MUNICIPALITIES)]
        year = 2021 + (i // len(MUNICIPALITIES)) % 60
        committee = COMMITTEES[rng.randrange(len(COMMITTEES))]
        day, month = rng.randint(1, 28), rng.randrange(12)
        goals = rng.sample(GOALS, 3)
        lines = [f"Udvalg: {committee}", f"Mødedato: {day}. {MONTHS[month]} {year - 8}", "",
                 f"{100 + i}. Målsætninger for de mest udsatte i {m} Kommune frem mod {year}", "",
                 "Sagsfremstilling", ""]
        for _ in range(7):
            p = paras[rng.randrange(len(paras))]
            p = re.sub(r"\bHerning\b", m, p)
            p = re.sub(r"\b20[12]\d\b", str(year - rng.randint(1, 8)), p)
            lines += [p, ""]
        lines += [f"{m} Kommunes målsætninger frem mod {year} er:", ""]
        for topic, template in goals:
            nums = {"m": m, "p": rng.choice([10, 15, 20, 25, 30, 35, 40]),
                    "n": rng.randrange(50, 5000), "q": rng.randint(2, 19)}
            lines += [" • " + template.format(**nums), ""]
            if topic == "homelessness":
                questions.append(SynthQuestion(
                    f"Hvad er målet for hjemløse i {m} Kommune frem mod {year}?", str(nums["n"]),
                    f"synth-{i:05d}.txt"))
        lines += ["Indstilling", "", f"Direktøren indstiller, at {committee} godkender målsætningerne.",
                  "", "Beslutning", "", rng.choice(["Godkendt.", "Til efterretning.", "Udsat."])]
        (out / f"synth-{i:05d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return questions
