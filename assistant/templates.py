"""Answer templates, per language: data, not code. Bump TEMPLATE_VERSION when any text changes."""

from __future__ import annotations

TEMPLATE_VERSION = "5"

TEMPLATES: dict[str, dict[str, str]] = {
    "da": {
        "abstain": "Det kan jeg ikke besvare ud fra dokumenterne: {reason}",
        "agenda_recommendation": "Indstillingen",
        "agenda_decision": "Beslutningen",
        "reason_no_hits": "der er ingen dokumenter i samlingen endnu.",
        "reason_entity": "de nævner ikke {entities}.",
        "reason_coverage": "jeg fandt ingen passage, der handler om det, du spørger om.",
        "reason_type": "de passager, der handler om emnet, indeholder ikke svaret.",
        "reason_year": "de giver tallet for {years}, ikke for {year}.",
        "reason_national": "de giver intet nationalt mål for det; det nærmeste er et lokalt mål ({who}):",
        "reason_national_figure": "de giver intet nationalt tal eller mål for det; det nærmeste er lokalt ({who}):",
        "reason_place": "de giver det ikke for {place}; det nærmeste er fra et dokument om {who}:",
        "reason_empty": "spørgsmålet er tomt.",
        "reason_injection": "spørgsmålet beder mig om noget andet end at svare ud fra dokumenterne.",
        "short": "**{short}**",
        "side_missing": "Dokumenterne giver ikke svaret for {names}.",
        "quote": "{text} [{n}]",
        "source_line": "Kilde: {title} ({date}).",
        "other_language": "Jeg svarer på dansk og engelsk. ",
    },
    "en": {
        "abstain": "I cannot answer that from the documents: {reason}",
        "agenda_recommendation": "The recommendation (in Danish)",
        "agenda_decision": "The decision (in Danish)",
        "reason_no_hits": "the collection has no documents yet.",
        "reason_entity": "they do not mention {entities}.",
        "reason_coverage": "I found no passage about what you are asking.",
        "reason_type": "the passages on this topic do not contain the answer.",
        "reason_year": "they give this figure for {years}, not for {year}.",
        "reason_national": "they give no national target for it; the nearest is a local one ({who}):",
        "reason_national_figure": "they give no national figure or target for it; the nearest is local ({who}):",
        "reason_place": "they do not give it for {place}; the nearest is from a document about {who}:",
        "reason_empty": "the question is empty.",
        "reason_injection": "the question asks for something other than an answer from the documents.",
        "short": "**{short}**",
        "side_missing": "The documents do not give the answer for {names}.",
        "quote": "In Danish: “{text}” [{n}]",
        "quote_en": "{text} [{n}]",
        "gloss": "Key terms: {pairs}.",
        "source_line": "Source: {title} ({date}).",
        "other_language": "I answer in Danish and English. ",
    },
}


def t(lang: str, key: str, **kw) -> str:
    table = TEMPLATES["da" if lang == "da" else "en"]
    return table[key].format(**kw)
