"""Tokens, Danish/English stemming, stopwords, sentence splitting and language detection."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)

DA_STOP = frozenset("""
af alle alt anden andet andre at bag blev blive bliver da de dem den denne dens der deres det
dette dig din dine disse dit dog du efter eller en end er et for fra ham han hans har havde have
hende hendes her hos hun hvad hvem hver hvilke hvilken hvis hvor hvordan hvorfor hvornår i ikke
ind ingen intet jeg jer jeres kan kom kommer kunne man mange med meget men mig min mine mit mod
ned noget nogle nu når og også om op os over på sig sin sine sit skal skulle som sådan thi til
ud under var vi vil ville vor vore være været blevet hvilket samt således derfor dermed mv
mm bl.a fx ifm ift dvs
""".split())

EN_STOP = frozenset("""
a about above after again against all am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me
more most my myself no nor not now of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they
this those through to too under until up very was we were what when where which while who whom
why will with would you your yours yourself yourselves whats what's who's there's tell please
""".split())

# Function words that tell the languages apart (no overlap with each other).
_LANG_WORDS = {
    "da": set("""og ikke det er en et jeg hvad hvem hvor hvordan hvornår hvilke hvilken mål målet
        målsætning er der som med til på af for skal kan har blev bliver om fra eller men også
        hvis dette disse være været kommune regeringen antallet andelen mindst højst""".split()),
    "en": set("""the and is are what who which where when how why of to in for with from by was
        were has have does did target goal goals should will can this that these those there
        their about much many number homelessness government""".split()),
    "de": set("""der die das und ist nicht was wer wie wo wann warum ein eine für mit von zu auf
        ziel ziele wird sind""".split()),
    "sv": set("""och inte är vad vem hur var när varför en ett för med till på av som det målet
        hemlösa antalet kommun regeringen""".split()),
    "no": set("""og ikke er hva hvem hvordan hvor når hvorfor en et for med til på av som det
        målet kommune regjeringen hjemløse ikkje""".split()),
    "fr": set("""le la les et est que qui quoi quel quelle où quand comment pourquoi des une un
        pour avec objectif""".split()),
    "es": set("""el la los las y es que qué quién cuál dónde cuándo cómo por para con objetivo
        una un""".split()),
}
_DA_CHARS = re.compile(r"[æøåÆØÅ]")
_SV_CHARS = re.compile(r"[äöÄÖ]")


def words(text: str) -> list[str]:
    """Lower-cased word and number tokens ('4.000' stays one token)."""
    return [w.lower() for w in _WORD.findall(text)]


@lru_cache(maxsize=4)
def _stemmer(lang: str):
    import Stemmer

    return Stemmer.Stemmer({"da": "danish", "en": "english"}[lang])


def stem(word: str, lang: str = "da") -> str:
    return _stemmer(lang).stemWord(word)


def content_terms(text: str, lang: str = "da") -> list[str]:
    """Stemmed, stopword-free terms for lexical search (Danish snowball unless lang='en')."""
    stop = DA_STOP if lang == "da" else EN_STOP
    toks = [w for w in words(text) if w not in stop and (len(w) > 1 or w.isdigit())]
    stems = _stemmer(lang).stemWords(toks)
    return [s.replace(".", "") if s[:1].isdigit() else s for s in stems]


# Letters of a non-Latin script name the language (or its script's main language) outright.
_SCRIPTS = {"ARABIC": "ar", "CYRILLIC": "ru", "GREEK": "el", "HEBREW": "he", "CJK": "zh",
            "HIRAGANA": "ja", "KATAKANA": "ja", "HANGUL": "ko", "DEVANAGARI": "hi", "THAI": "th",
            "ARMENIAN": "hy", "GEORGIAN": "ka", "BENGALI": "bn", "TAMIL": "ta", "ETHIOPIC": "am"}


def script_language(text: str) -> str | None:
    """The language of a text written mostly in a non-Latin script, else None."""
    import unicodedata

    counts: dict[str, int] = {}
    letters = 0
    for ch in text:
        if not ch.isalpha():
            continue
        letters += 1
        script = unicodedata.name(ch, "").split(" ")[0]
        if script in _SCRIPTS:
            counts[_SCRIPTS[script]] = counts.get(_SCRIPTS[script], 0) + 1
    if not letters or not counts:
        return None
    best = max(counts, key=counts.get)
    return best if counts[best] * 2 >= letters else None


_PARENS = re.compile(r"\([^()]*\)")


def detect_language(text: str) -> str:
    """'da', 'en', or another ISO code for questions in other languages ('de', 'sv', 'ar', ...)."""
    toks = words(text)
    if not toks:
        return "da"
    other = script_language(text)
    if other:
        return other
    # a name or a term in parentheses says nothing of the language it is asked in: "Who chairs
    # the Children and Schools Committee (Børne- og Skoleudvalget) in Sønderå?" is English
    plain = _PARENS.sub(" ", text)
    toks = words(plain) or toks
    common = " ".join(w for w in plain.split() if not w[:1].isupper())
    scores = {lang: sum(t in vocab for t in toks) for lang, vocab in _LANG_WORDS.items()}
    if _DA_CHARS.search(common):
        scores["da"] += 2
        scores["no"] += 1
    if _SV_CHARS.search(common):
        scores["sv"] += 3
        scores["de"] += 2
    best = max(scores, key=lambda k: (scores[k], k in ("da", "en"), k == "da"))
    if best in ("no", "sv") and scores["da"] >= scores[best] - 1:
        return "da"  # Scandinavian overlap: Danish is the corpus language
    if scores[best] == 0:
        return "da" if _DA_CHARS.search(text) else "en"
    return best


def stated_language(text: str) -> str | None:
    """'da' or 'en' when the words as typed say which ("and for drug deaths?"); None when they
    are too few to tell ("Vejle?")."""
    toks = words(text)
    da = sum(t in _LANG_WORDS["da"] for t in toks) + (2 if _DA_CHARS.search(text) else 0)
    en = sum(t in _LANG_WORDS["en"] for t in toks)
    if da == en:
        return None
    return "da" if da > en else "en"


_ABBREV = re.compile(
    r"\b(bl\.a|f\.eks|fx|mht|ifm|jf|nr|ca|kr|mio|mia|pct|stk|osv|mv|dvs|evt|inkl|ekskl|tlf|"
    r"d|hhv|vedr|bilag|pr|kl|ang|iht|ift|vha|e\.g|i\.e|etc|mr|mrs|dr|no|vs|st|sept|okt|nov|dec|jan|feb|"
    r"aug|apr|jun|jul)\.$",
    re.I,
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`; abbreviations, decimals and dates do not split."""
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch == "\n" and i + 1 < n and text[i + 1] == "\n":
            _add(spans, text, start, i)
            start = i + 2
            i += 2
            continue
        if ch in ".!?" and (i + 1 == n or text[i + 1] in " \n\"”»'"):
            j = i + 1
            while j < n and text[j] in "\"”»'":
                j += 1
            before = text[max(start, i - 12): i + 1]
            nxt = text[j:j + 40].lstrip()  # a bounded look-ahead: linear in the text length
            if ch == "." and (_ABBREV.search(before) or re.search(r"\b\d{1,2}\.$", before)):
                # "d. 12", "30. oktober", "bl.a." : not a sentence end unless a capital follows a
                # known abbreviation at the very end of a sentence
                if not (nxt[:1].isupper() and not re.search(r"\d\.$", before) and
                        not re.search(r"\b(d|nr|ca|kr|jf|fx|bl\.a|mio|mia)\.$", before, re.I)):
                    i += 1
                    continue
            if nxt and not (nxt[0].isupper() or nxt[0].isdigit() or nxt[0] in "\"“«-–•"):
                i += 1
                continue
            _add(spans, text, start, j)
            start = j
            i = j
            continue
        i += 1
    _add(spans, text, start, n)
    return spans


def _add(spans: list[tuple[int, int]], text: str, a: int, b: int) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        spans.append((a, b))


# Text addressed to an assistant. In a question it is dropped (assistant/safety.py); in a
# document it is data, never evidence and never a goal.
_INJECTION = re.compile(
    r"(ignore|disregard|forget)\s+(all\s+|any\s+|the\s+|your\s+)?(previous|prior|above|earlier|"
    r"system)?\s*(instructions?|rules|prompts?|context)"
    r"|(glem|ignorer|se bort fra)\s+(alle\s+|dine\s+|de\s+)?(tidligere\s+)?(instrukser|instruktioner|"
    r"regler|anvisninger|kontekst)"
    r"|\byou are now\b|\bdu er nu\b|\bsystem prompt\b|\bsystemprompt\b|\bact as\b|\bopfør dig som\b"
    r"|(^|\b(and|then|og|så)\s+)(please\s+)?(just\s+)?(say|answer|reply|write|respond|state|claim)\s+"
    r"(that|only|with)\b"
    r"|(^|\b(og|så)\s+)(sig|svar|skriv|påstå|oplys)\s*,?\s+(at|kun|blot|altid)\b"
    r"|\bignor[eé]r\w*\s+(system)?prompt\w*|\bsystemprompt"
    r"|\b(from now on|fra nu af|henceforth|fremover skal du)\b|\binstructions? from the\b"
    r"|\bthe following is an instruction|\bfølgende er en instruks"
    r"|\bskriv (et|en) (digt|sang|historie)\b|\bwrite (a|an) (poem|song|story)\b"
    r"|\b(reveal|show|print)\s+(your|the)\s+(prompt|instructions)"
    r"|^\s*(system|assistant|developer)\s*:|udviklertilstand|developer mode|jailbreak|\bDAN\b"
    r"|(svar\w*|answer\w*|respond\w*)\s+(uden|without)\s+(kilder|sources|citations|kildehenvisninger)",
    re.I,
)


def is_instruction(text: str) -> bool:
    """Text addressed to an assistant ("ignore previous instructions", "sig at ...")."""
    return bool(_INJECTION.search(text))
