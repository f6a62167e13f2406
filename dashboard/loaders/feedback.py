"""Feedback forms after direct work: the four-question feedback-informed practice form (spec 3.2).

One row per completed form. Scores are 1..5 (5 = very well / very much) or blank; questions 1
and 3 come in an `a` wording (higher concern: child in need, child protection, child in care)
and a `b` wording (family support, early help), so the variant must be given whenever the
question is answered. Worker and family are pseudonymous references, never names.
"""
from __future__ import annotations

import polars as pl

from dashboard.loaders.keyed import KeyedLoader, check_references, codes
from dashboard.validate import Checker
from dashboard.vocabulary import RESPONDENT_LABELS, SERVICE_LABELS

SERVICES = list(SERVICE_LABELS)
RESPONDENTS = list(RESPONDENT_LABELS)
DISCUSSED = ["yes", "no", "unknown"]
QUESTIONS = ["q1", "q2", "q3", "q4"]
VARIANTS = {"q1": "q1_variant", "q3": "q3_variant"}


class FeedbackLoader(KeyedLoader):
    kind = "feedback"
    table = "feedback_forms"
    required = ["form_id", "la_code", "date", "service", "worker_ref", "family_ref", "respondent",
                "meeting_number", "q1_variant", "q1", "q2", "q3_variant", "q3", "q4", "discussed"]
    key = ["la_code", "form_id"]
    renames = {"date": "form_date"}
    date_column = "date"
    table_columns = ["la_code", "form_id", "form_date", "service", "worker_ref", "family_ref", "respondent",
                     "meeting_number", "q1_variant", "q1", "q2", "q3_variant", "q3", "q4", "discussed"]
    noun = ("form", "forms")

    def validate(self, check: Checker, df: pl.DataFrame) -> pl.DataFrame:
        f = check.file
        check.not_blank(df, ["form_id", "worker_ref", "family_ref"])
        check_references(check, df, ["worker_ref", "family_ref"])
        df = check.dates(df, "date")
        df = check.vocab(df, "service", codes(SERVICES), f"one of the services {', '.join(SERVICES)}")
        df = check.vocab(df, "respondent", codes(RESPONDENTS), f"who answered: {', '.join(RESPONDENTS)}")
        df = check.integer(df, "meeting_number", 1, None,
                           "the meeting number in this worker-family relationship (1 for the first form, then 2, 3 ...): a whole number")
        for q in QUESTIONS:
            df = check.integer(df, q, 1, 5, "a score (5 = very well / very much) as a whole number", blank_ok=True)
        for q, variant in VARIANTS.items():
            # Blank in the file (not merely unknown after normalising: a bad variant is its own problem).
            df = df.with_columns(pl.col(variant).is_null().alias("__blank_variant"))
            df = check.vocab(df, variant, codes(["a", "b"]),
                             f"a or b: which wording of question {q[1]} was asked (a: higher concern, "
                             "such as child in need, child protection, child in care; b: family support, early help)",
                             blank_ok=True)
            check.problems.add_rows(f, df.filter(pl.col(q).is_not_null() & pl.col("__blank_variant")), variant,
                                    f"a or b whenever {q} is answered: the score cannot be read without "
                                    f"knowing which wording of question {q[1]} was asked")
        df = check.vocab(df, "discussed", codes(DISCUSSED),
                         "yes, no or unknown: were the answers talked about with the person afterwards")
        return df.drop("__blank_variant").with_columns([pl.col(q).cast(pl.Int32) for q in [*QUESTIONS, "meeting_number"]])

