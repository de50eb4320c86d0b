"""Canonical policy topics with Danish and English labels and the words that signal them."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    key: str
    da: str
    en: str
    pattern: re.Pattern  # matched against Danish goal text and English or Danish questions


def _t(key: str, da: str, en: str, words: str) -> Topic:
    return Topic(key, da, en, re.compile(words, re.I))


# Order matters: the first match wins, so specific topics come before broad ones
# ("narkorelaterede dødsfald" before "stofmisbrug", "herberg" before "hjemløse").
TOPICS: tuple[Topic, ...] = (
    _t("sick_leave", "sygefravær", "sick leave", r"sygefravær|sygemeld|sick leave|sickness absence"),
    _t("drug_deaths", "narkorelaterede dødsfald", "drug-related deaths",
       r"narko\w*\s*(relatere\w*\s+)?døds|narkodød|overdos|drug[- ]related death|drug deaths?|"
       r"overdose|deaths? from drugs|narkodødsfald|narkorelatere"),
    _t("drug_treatment", "stofmisbrugsbehandling", "drug abuse treatment",
       r"stofmisbrug|stoffri|stofbrug|stofbehandling|narkotikamisbrug|misbrugsbehandling|rusmiddel\w*|"
       r"drug (abuse|addiction|use|treatment|misuse)|substance[- ](abuse|use)|drug rehab|addiction treatment"),
    _t("alcohol_treatment", "alkoholbehandling", "alcohol treatment",
       r"alkohol|alcohol|drink"),
    _t("shelter_return", "tilbagevenden til herberg og forsorgshjem",
       r"return to homeless shelters",
       r"herberg|forsorgshjem|boform|§ ?110|homeless shelter|hostel|shelter stay|"
       r"return(s|ing)? to (a )?shelter"),
    _t("homelessness", "hjemløshed", "homelessness",
       r"hjemløs|homeless|gadesov|sove på gaden|på gaden|rough sleep|sleeping rough|without a home|"
       r"houseless"),
    _t("womens_shelters", "kvindekrisecentre", "women's shelters",
       r"kvindekrisecent|krisecent|women'?s (crisis )?(shelter|refuge)|crisis cent"),
    _t("violence_close_relationships", "vold i nære relationer", "violence in close relationships",
       r"vold i nære|vold i hjemmet|voldsramt|partnervold|voldsudsat|udsat for vold|voldsspiral|"
       r"domestic violence|intimate partner|"
       r"partner violence|violence in close"),
    _t("youth_crime", "ungdomskriminalitet", "youth crime",
       r"kriminalitet|strafferetlig|dømt|domfæld|crime|criminal|offend|convict"),
    _t("placements", "anbringelser", "placements in care",
       r"anbring|anbragt|plejefamilie|døgninstitution|placement|foster|children in care|"
       r"out-of-home care|in care\b"),
    _t("education_vulnerable_youth", "uddannelse for udsatte unge", "education of vulnerable youth",
       r"ungdomsuddannelse|erhvervsuddannelse|gymnasi|youth education|upper secondary|"
       r"complete (an )?education|vocational|erhvervskompetencegivende|"
       r"education\b[^.?]{0,40}\b(young|youth|25)|"
       r"(young|youth)[^.?]{0,40}\beducation"),
    _t("school_performance", "faglige niveau i folkeskolen", "school performance",
       r"faglige? niveau|læsning|læser|matematik|folkeskole|karakter|nationale test|afgangsprøve|"
       r"klasse|fravær|skoledag|elever|school|reading|"
       r"math|academic|grades"),
    _t("disability_employment", "handicap, uddannelse og beskæftigelse",
       "disability, education and employment",
       r"handicap|funktionsnedsættelse|disab"),
    _t("mental_illness", "psykisk sygdom og psykiske vanskeligheder", "mental illness",
       r"psykisk|psykiatri|sindslid|mental|psychiatr"),
    _t("volunteering", "frivillig indsats", "volunteering",
       r"frivillig|volunt|civilsamfund"),
    _t("prostitution", "prostitution", "prostitution", r"prostitu|sex work"),
    _t("climate", "klima og CO2-udledning", "climate and CO2 emissions",
       r"co2|co₂|klima|drivhusgas|udledning|climate|emission|greenhouse|carbon"),
    _t("elderly", "ældre", "elderly care",
       r"ældre|plejehjem|plejebolig|plejecent|hjemmehjælp|hjemmepleje|elderly|older people|nursing home"),
    _t("daycare", "dagtilbud", "daycare",
       r"dagtilbud|daginstitution|vuggestue|børnehave|dagpleje|daycare|kindergarten|nursery"),
    _t("integration", "integration", "integration",
       r"integration|flygtning|indvandrer|nyankomne|tosprogede|ikke-vestlig|refugee|immigrant"),
    _t("employment", "beskæftigelse", "employment",
       r"beskæftigelse|ledig|i job|arbejdsmarked|selvforsørg|kontanthjælp|employment|unemploy|"
       r"jobs?\b|labour market|labor market|work"),
    _t("health", "sundhed", "health",
       r"sundhed|\bryg\w*|nikotin|overvægt|middellevetid|motion|fysisk aktiv|indlæggelse|sygehus|"
       r"hospital|sygeplejersk|"
       r"health|smok|obesity|life expectancy|exercise"),
    _t("housing", "boliger", "housing", r"bolig|housing|dwelling"),
    _t("poverty", "fattigdom", "poverty", r"fattig|lav indkomst|lavindkomst|poverty|poor|low income"),
    _t("socially_vulnerable", "socialt udsatte", "socially vulnerable people",
       r"socialt udsat|udsatte|vulnerable|marginali"),
)
OTHER = Topic("other", "andet", "other", re.compile(r"(?!)"))
BY_KEY = {t.key: t for t in TOPICS} | {"other": OTHER}


def classify(text: str) -> Topic:
    """The first topic whose words occur in the text, else OTHER."""
    for topic in TOPICS:
        if topic.pattern.search(text):
            return topic
    return OTHER


def topics_in(text: str) -> list[Topic]:
    """Every topic a question mentions, in taxonomy order."""
    return [t for t in TOPICS if t.pattern.search(text)]


_AREAS = (
    (re.compile(r"børn|unge|ungdom|children|young|youth", re.I), "children and young people"),
    (re.compile(r"voksn|voksen|adult", re.I), "adults"),
    (re.compile(r"ældre|elderly", re.I), "elderly"),
    (re.compile(r"handicap|disab", re.I), "people with disabilities"),
)


def area_of(heading: str | None) -> str | None:
    """Canonical area from a heading such as 'Børn/unge området' or 'Voksenområdet'."""
    if not heading:
        return None
    for pattern, label in _AREAS:
        if pattern.search(heading):
            return label
    return heading.strip(" :") or None
