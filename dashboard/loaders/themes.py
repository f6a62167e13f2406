"""Themes from what children and families said, from participation and qualitative work (spec 3.7).

Privacy, decided here and applied at load:
- a quote whose quote_consent is not yes is not stored at all (quote NULL); the load's notice
  says how many were dropped;
- a consented quote is stored, but marked publishable only when it shows no sign of a name,
  phone number, email address, postcode, school or street (see `quote_risks`); the dashboard
  shows only publishable quotes.
"""
from __future__ import annotations

import re

import polars as pl

from dashboard.loaders.keyed import YES_NO, KeyedLoader, codes, snake_case
from dashboard.validate import Checker

COHORTS = ["child_in_care", "care_leaver", "child_in_need", "child_protection", "early_help", "parent_carer"]

# Every pattern is linear in the length of the text: bounded repeats, and no pattern that can
# try every start of a long run without spaces against the rest of it (10k chars took 3 s and
# 80k chars 128 s with unbounded repeats; tests/test_linear_checks.py holds the line).
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}|@\w")
_PHONE = re.compile(r"(?<![\w+])\+?\d(?:[\s().-]?\d){9,19}(?!\w)")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s{0,3}\d[A-Z]{2}\b", re.IGNORECASE)
_PLACE_WORDS = re.compile(r"\b(school|academy|primary|college|road|street|avenue|lane|close|drive)\b", re.IGNORECASE)
# A sentence ends after . ! or ? (then any closing quotes or brackets, then space), or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]{0,8}\s+|\n+")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_FIRST_PERSON = {"I", "I'm", "I've", "I'll", "I'd", "I’m", "I’ve", "I’ll", "I’d"}


def quote_risks(quote: str) -> list[str]:
    """Signs that a quote may identify someone (empty when none is seen). Deliberately cautious:
    a quote that is only probably fine is kept but not published."""
    risks = []
    if _EMAIL.search(quote):
        risks.append("an email address or @handle")
    if _PHONE.search(quote):
        risks.append("a phone number")
    if _POSTCODE.search(quote):
        risks.append("a postcode")
    place = _PLACE_WORDS.search(quote)
    if place:
        risks.append(f"a school or street ('{place.group(0)}')")
    for sentence in _SENTENCE_END.split(quote):
        words = _WORD.findall(sentence)
        named = [w for w in words[1:] if w[0].isupper() and w not in _FIRST_PERSON]
        if named:
            risks.append(f"a name ('{named[0]}')")
            break
    return risks


class ThemesLoader(KeyedLoader):
    kind = "themes"
    table = "themes"
    required = ["record_id", "la_code", "date", "source", "cohort", "theme", "quote_consent"]
    optional = ["quote"]
    key = ["la_code", "record_id"]
    renames = {"date": "record_date"}
    date_column = "date"
    table_columns = ["la_code", "record_id", "record_date", "source", "cohort", "theme", "quote",
                     "quote_consent", "quote_publishable"]
    noun = ("theme record", "theme records")

    def validate(self, check: Checker, df: pl.DataFrame) -> pl.DataFrame:
        f = check.file
        check.not_blank(df, ["record_id", "source", "theme"])
        df = check.dates(df, "date")
        df = check.vocab(df, "cohort", codes(COHORTS), f"one of the cohorts {', '.join(COHORTS)}")
        df = df.with_columns(snake_case("source").alias("__source"))
        check.problems.add_rows(f, df.filter(pl.col("source").is_not_null() & pl.col("__source").is_null()), "source",
                                "the name of the source, such as children_in_care_council or care leavers forum "
                                "(letters or digits)")
        df = df.with_columns(pl.col("__source").alias("source")).drop("__source")
        # A blank consent is read as no when there is no quote (nothing to consent to).
        quoted = pl.col("quote").is_not_null()
        df = df.with_columns(pl.col("quote_consent").is_null().alias("__consent_blank"))
        df = check.vocab(df, "quote_consent", YES_NO, "yes or no: did the person agree to their words being quoted",
                         blank_ok=True)
        check.problems.add_rows(f, df.filter(quoted & pl.col("__consent_blank")), "quote_consent",
                                "yes or no whenever there is a quote: did the person agree to their words being quoted")
        consent = pl.col("quote_consent") == "yes"
        dropped = df.filter(quoted & ~consent.fill_null(False)).height
        df = df.with_columns(consent.fill_null(False).alias("quote_consent"))
        df = df.with_columns(pl.when(pl.col("quote_consent")).then(pl.col("quote")).alias("quote"))
        risky = pl.col("quote").map_elements(lambda q: bool(quote_risks(q)), return_dtype=pl.Boolean)
        df = df.with_columns((pl.col("quote").is_not_null() & ~risky.fill_null(True)).alias("quote_publishable"))
        if dropped:
            check.notices.append(f"{f}: {dropped} quote{'s' if dropped != 1 else ''} not stored, because "
                                 "quote_consent is not yes")
        held = df.filter(pl.col("quote").is_not_null() & ~pl.col("quote_publishable")).height
        if held:
            check.notices.append(f"{f}: {held} quote{'s' if held != 1 else ''} stored but marked not publishable "
                                 f"(showing signs of a name, phone number, email address, postcode, school or street)")
        return df.drop("__consent_blank")

