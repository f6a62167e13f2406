"""Words for the young inspectors' page: the same findings in plain language (reading age about 9).

Rules kept here, and tested:
- only published whole-group survey figures with at least MIN_BASE answers are used, and only as
  words ("most", "about eight in ten"), never as a number: nothing can point at one child;
- hidden or low-base figures are not shown, with a kind note that says why;
- short sentences, everyday words, no jargon (JARGON), and no digits except years.
readability() and the checks below measure that, so a test can hold the page to it.
"""
from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

import polars as pl

from dashboard.catalogue import Catalogue, PlainWords, SurveyIndicator, negation_words
from dashboard.report import findings

MIN_BASE = 30
GOING_WELL, GET_BETTER, OTHER = "going well", "get better", "other"
SECTION_FOR = {"bright spot": GOING_WELL, "area to look at": GET_BETTER}

# Words a young inspector should not have to know. Matched as whole words, any case ("LA" only
# in capitals: it is the jargon, "la" is not a word of ours anyway).
JARGON = ["cohort", "indicator", "significant", "significance", "confidence", "interval", "percentage",
          "percent", "per cent", "suppressed", "suppression", "classification", "comparator", "domain", "wave",
          "metric", "statistic", "statistics", "statistical", "data", "respondent", "respondents", "median",
          "pool", "disclosure", "base", "local authority", "breakdown", "polarity", "bright spot",
          "area to look at", "benchmark", "threshold", "sample"]
_JARGON_RE = re.compile(r"\b(" + "|".join(re.escape(j) for j in JARGON) + r")\b|%|\bLA\b", re.IGNORECASE)
_LA_RE = re.compile(r"\bLA\b")

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_word(n: int) -> str:
    """0..99 in words: 8 -> 'eight', 25 -> 'twenty-five'."""
    if not 0 <= n <= 99:
        raise ValueError(f"number_word takes 0 to 99, not {n}")
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")


def age_words(band: str) -> str:
    """'8-11' -> 'aged eight to eleven'; 'all' -> ''."""
    if band == "all" or "-" not in band:
        return ""
    low, high = band.split("-")
    return f"aged {number_word(int(low))} to {number_word(int(high))}"


# -- how many, in words ---------------------------------------------------------------------------

# (lowest value, words before "young people"); the first that fits wins.
AMOUNTS = [(95, "Nearly all"), (75, "Most"), (55, "Over half of"), (45, "About half of"),
           (25, "Less than half of"), (15, "Some"), (5, "A few"), (0, "Hardly any")]


def amount_words(value: float) -> str:
    """A share (0 to 100) in words: 81 -> 'Most', 50 -> 'About half of'."""
    for low, words in AMOUNTS:
        if value >= low:
            return words
    return AMOUNTS[-1][1]


def tenths(value: float) -> int:
    """A share rounded to the nearest ten per cent, as 'how many in ten' (0 to 10)."""
    return int(math.floor(value / 10 + 0.5))


def in_ten_words(value: float) -> str | None:
    """'That is about eight in ten.' (None at the ends, where 'nearly all' or 'hardly any' says it)."""
    if value >= 95 or value < 5:
        return None
    return f"That is about {number_word(tenths(value))} in ten."


def dots(value: float) -> str:
    """Ten dots, filled for about how many in ten (a picture of the share; shape, not colour)."""
    n = tenths(value)
    return "●" * n + "○" * (10 - n)


# -- the sentence ---------------------------------------------------------------------------------

# Each survey indicator's clause is a template in its YAML (`says`, see catalogue.PlainWords) that
# declares its person, number and polarity and writes pronouns as slots. Nothing here guesses
# grammar from a phrase, so "an adult them trust" or "know why they are in care" said to care
# leavers cannot be written.

@dataclass(frozen=True)
class Subject:
    words: str
    person: str = "third"
    number: str = "plural"


PEOPLE = Subject("young people")
PRONOUNS = {("third", "plural"): {"they": "they", "them": "them", "their": "their", "theirs": "theirs",
                                  "themselves": "themselves"}}
# Amounts that are themselves negative, and the words used instead before a negative clause
# (never "Less than half of young people hardly ever ..."): the "in ten" line still gives the size.
NEGATIVE_AMOUNTS = {"Less than half of": "Some", "Hardly any": "Only a few"}


def render(says: PlainWords, cohort: str, subject: Subject = PEOPLE) -> str:
    """The template's clause for a cohort with its pronoun slots filled for the subject."""
    if (says.person, says.number) != (subject.person, subject.number):
        raise ValueError(f"the clause {says.text!r} is written for the {says.person} person {says.number}, "
                         f"not for {subject.words!r} ({subject.person} person {subject.number})")
    return says.clause(cohort).format(**PRONOUNS[(subject.person, subject.number)])


def sentence(value: float, indicator: SurveyIndicator, cohort: str, subject: Subject = PEOPLE) -> str:
    """'Most young people feel safe where they live.' An indicator without a template is given as
    the question the young people answered, in quotation marks (so its "you" is theirs)."""
    amount = amount_words(value)
    if indicator.says is None:
        return f"{amount} {subject.words} gave a good answer to “{indicator.child_friendly.rstrip('.')}”."
    if indicator.says.polarity == "negative":
        amount = NEGATIVE_AMOUNTS.get(amount, amount)
    return f"{amount} {subject.words} {render(indicator.says, cohort, subject)}."


# -- the tiles ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tile:
    indicator_id: str
    domain: str
    section: str          # GOING_WELL | GET_BETTER | OTHER
    sentence: str
    in_ten: str | None
    dots: str


def usable(rec: dict) -> bool:
    """A whole-group figure published on at least MIN_BASE answers (never a low base)."""
    return (rec["status"] == "ok" and rec["value"] is not None and rec["base"] is not None
            and rec["base"] >= MIN_BASE and not rec["low_base"])


def whole_group_survey(figures: pl.DataFrame) -> pl.DataFrame:
    if figures.height == 0:
        return figures
    return figures.filter((pl.col("source") == "survey") & (pl.col("breakdown") == "")
                          & (pl.col("group") == "all") & (pl.col("category").fill_null("") == "")
                          & (pl.col("unit") == "percent") & (pl.col("polarity") == "higher_is_better"))


def tiles(figures: pl.DataFrame, catalogue: Catalogue) -> tuple[list[Tile], list[str]]:
    """Tiles for the usable figures (in catalogue order), and the child-friendly names of the
    questions not shown (hidden or too few answers)."""
    by_id = catalogue.by_id()
    order = {i.id: n for n, i in enumerate(catalogue.indicators)}
    out, not_shown = [], []
    rows = sorted(whole_group_survey(figures).iter_rows(named=True), key=lambda r: order.get(r["indicator_id"], 1e9))
    for rec in rows:
        ind = by_id.get(rec["indicator_id"])
        if ind is None:
            continue
        if not usable(rec):
            not_shown.append(ind.child_friendly)
            continue
        value = float(rec["value"])
        out.append(Tile(ind.id, ind.domain, SECTION_FOR.get(rec["classification"] or "", OTHER),
                        sentence(value, ind, rec["cohort"]), in_ten_words(value), dots(value)))
    return out, not_shown


def tile_html(tile: Tile) -> str:
    """A big, clear tile: the sentence, ten dots and 'about N in ten' (the dots have that as their name)."""
    label = tile.in_ten or tile.sentence
    small = f'<p style="margin:0.3rem 0 0 0;font-size:1.1rem">{html.escape(tile.in_ten)}</p>' if tile.in_ten else ""
    return (
        '<div style="border:2px solid #0072B2;border-radius:14px;padding:1rem 1.2rem;margin-bottom:0.8rem;'
        'background:#f5faff;min-height:11rem">'
        f'<p style="font-size:1.35rem;font-weight:600;line-height:1.35;margin:0 0 0.5rem 0">{html.escape(tile.sentence)}</p>'
        f'<div role="img" aria-label="{html.escape(label)}" style="font-size:1.9rem;letter-spacing:0.15rem;'
        f'color:#0072B2;line-height:1">{tile.dots}</div>{small}</div>')


# -- the page's own words -------------------------------------------------------------------------

WHO = {"children_in_care": "children and young people in care", "care_leavers": "young people who have left care"}
# The themes file's code for the page's cohort: quotes and actions on the page are that cohort's only.
THEMES_COHORT = {"children_in_care": "child_in_care", "care_leavers": "care_leaver"}
COHORT_SURVEY = {"children_in_care": "YLYC", "care_leavers": "YLBC"}
TITLE = "What young people told us"
HEADINGS = {GOING_WELL: "Things that are going well", GET_BETTER: "Things that need to get better",
            OTHER: "More of what you told us"}
SECTION_NOTES = {
    GOING_WELL: "These answers are better than in other places that did the survey.",
    GET_BETTER: "These answers are not as good as in other places that did the survey.",
    OTHER: "Here is the rest of what you told us.",
}
HIDDEN_NOTE = ("Some answers are not shown here. Not enough young people answered them. We keep those answers "
               "private, so nobody can tell who said what.")
QUOTES_HEADING = "What you said in your own words"


def quotes_note(cohort: str) -> str:
    return f"These are things {WHO.get(cohort, 'young people')} said. They said it was fine to share their words."


NO_QUOTES = "There are no words to share yet."
CHANGES_HEADING = "You said, we did"
CHANGES_NOTE = "This is what the council did after young people spoke up."
NO_CHANGES = "Nothing has been written down yet about what changed."
NO_ANSWERS = "There are no answers to show for {year}. Pick another year on the left."


def intro(cohort: str, la_name: str, wave: int, age_band: str = "all") -> str:
    who = WHO.get(cohort, "young people")
    ages = age_words(age_band)
    who = f"{who} {ages}" if ages else who
    return (f"This page shows what {who} in {la_name} told us in the survey in {wave}. "
            "It also shows what the council did about it. We only use answers from big groups. "
            "That way, nobody can tell who said what.")


def change_lines(action: dict) -> tuple[str, str]:
    """('You said: ...', 'We did: ...') for a done or in-progress action."""
    heard = " ".join(str(action["we_heard"]).split())
    did = " ".join(str(action["we_did"] or "").split())
    if action["status"] == "done":
        return f"You said: {heard}", f"We did: {did or 'We made a change.'}"
    return f"You said: {heard}", f"We are doing: {did}" if did else "We are working on it."


def cohort_actions(actions: pl.DataFrame, cohort: str, catalogue: Catalogue, themes_raised: set[str]) -> pl.DataFrame:
    """The actions that answer this cohort: about a survey question the cohort is asked, or about a
    theme the cohort raised, and not marked as another group's. An action about another group
    (parents, care leavers on the children's page, even on a question both are asked) is left out."""
    if actions.height == 0:
        return actions
    actions = findings.for_cohort(actions, cohort)
    survey = COHORT_SURVEY.get(cohort)
    asked = {i.id for i in catalogue.survey_indicators() if survey in i.surveys}
    return actions.filter(pl.col("indicator_id").is_in(sorted(asked)).fill_null(False)
                          | pl.col("theme").is_in(sorted(themes_raised)).fill_null(False))


def changes(actions: pl.DataFrame) -> list[tuple[str, str]]:
    """What changed: actions done, then in progress (newest first within each)."""
    if actions.height == 0:
        return []
    picked = actions.filter(pl.col("status").is_in(["done", "in_progress"]))
    picked = picked.with_columns((pl.col("status") != "done").alias("__later")).sort(
        ["__later", "raised_on"], descending=[False, True])
    return [change_lines(a) for a in picked.iter_rows(named=True)]


def quote_html(quote: str) -> str:
    """A young person's words, large, in speech marks, exactly as written."""
    return ('<blockquote style="font-size:1.25rem;line-height:1.4;margin:0 0 0.8rem 0;padding:0.6rem 1rem;'
            'border-left:6px solid #E69F00;background:#fffaf0;border-radius:6px">'
            f'“{html.escape(" ".join(quote.split()))}”</blockquote>')


def change_html(you_said: str, we_did: str) -> str:
    """One 'You said... We did...' card (the labels in bold, so colour is not the only cue)."""
    said_label, said = you_said.split(": ", 1)
    did_label, did = we_did.split(": ", 1) if ": " in we_did else ("", we_did)
    did_part = (f'<b style="color:#00704f">{html.escape(did_label)}:</b> {html.escape(did)}' if did_label
                else html.escape(did))
    return ('<div style="border:2px solid #009E73;border-radius:14px;padding:0.8rem 1.2rem;margin-bottom:0.8rem;'
            'font-size:1.15rem;line-height:1.45">'
            f'<p style="margin:0 0 0.4rem 0"><b style="color:#0072B2">{html.escape(said_label)}:</b> {html.escape(said)}</p>'
            f'<p style="margin:0">{did_part}</p></div>')


# -- checks on the words --------------------------------------------------------------------------

@dataclass(frozen=True)
class Readability:
    sentences: int
    words: int
    words_per_sentence: float
    long_word_share: float     # words of three or more syllables


_SENTENCE_END = re.compile(r"[.!?]+(?:\s+|$)|\n+")
_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")


def syllables(word: str) -> int:
    """A rough syllable count: groups of vowels, less a silent final e (never under one)."""
    w = word.lower().strip("’'-")
    groups = re.findall(r"[aeiouy]+", w)
    n = len(groups)
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and n > 1:
        n -= 1
    if w.endswith(("ed",)) and n > 1 and not w.endswith(("ted", "ded")):
        n -= 1
    return max(1, n)


def readability(text: str) -> Readability:
    sentences = [s for s in _SENTENCE_END.split(text) if _WORD.search(s)]
    words = _WORD.findall(text)
    long = [w for w in words if syllables(w) >= 3]
    n_s, n_w = max(1, len(sentences)), len(words)
    return Readability(len(sentences), n_w, n_w / n_s, len(long) / n_w if n_w else 0.0)


def jargon_found(text: str) -> list[str]:
    found = []
    for m in _JARGON_RE.finditer(text):
        word = m.group(0)
        if word.upper() == "LA" and not _LA_RE.fullmatch(word):
            continue   # only the capitalised abbreviation
        found.append(word)
    return found


# Verbs that only follow a subject ("them trust" is wrong), words after which a pronoun is an
# object ("with they" is wrong), and verb forms that a plural subject never takes.
_FINITE = {"trust", "look", "live", "feel", "felt", "are", "were", "want", "do", "did", "have", "had", "can",
           "know", "like", "need", "get", "think", "go", "see", "say", "make", "came", "come", "is", "was", "will",
           "behave", "chose", "choose"}
_OBJECT_SLOT = {"to", "with", "about", "for", "of", "at", "by", "from", "on", "help", "helps", "tell", "told", "ask",
                "asked", "believes", "in", "makes"}
_SINGULAR = {"is", "was", "has", "does", "feels", "likes", "knows", "wants", "lives", "gets", "sees", "trusts", "says"}
_PLURAL_SUBJECTS = {"they", "people", "children"}
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def agreement_problems(text: str, speaks_to_reader: bool = False) -> list[str]:
    """Person and number mistakes in text about young people (third person plural): a second
    person word (unless the text `speaks_to_reader`, as the page's notes do), "them" as a subject,
    "they" as an object, or a plural subject with a singular verb. Words inside quotation marks
    are someone's own and are not checked."""
    words = re.findall(r"[a-z]+(?:[’'][a-z]+)?", _QUOTED.sub(" ", text).lower())
    found = []
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        prev = words[i - 1] if i else ""
        if w in ("you", "your", "yours", "yourself") and not speaks_to_reader:
            found.append(f"second person {w!r}")
        elif w == "them" and nxt in _FINITE:
            found.append(f"'them {nxt}' (them as a subject)")
        elif w == "they" and prev in _OBJECT_SLOT:
            found.append(f"'{prev} they' (they as an object)")
        if w in _PLURAL_SUBJECTS and nxt in _SINGULAR:
            found.append(f"'{w} {nxt}' (plural subject, singular verb)")
    return found


def double_negatives(text: str) -> list[str]:
    """Sentences with more than one negating word ("Less than half ... did not ...")."""
    return [s.strip() for s in _SENTENCE_END.split(text) if len(negation_words(s)) > 1]


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def digits_found(text: str) -> list[str]:
    """Numbers in the text other than years (1900 to 2099)."""
    return [m.group(0) for m in _NUMBER.finditer(text) if not re.fullmatch(r"(19|20)\d\d", m.group(0))]
