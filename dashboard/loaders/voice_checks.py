"""Voice checks: the recommended data returns 2a and 2c (spec 3.4).

One row per check of one child's case on one date: `voice_heard_assessment` and
`voice_heard_closure` (2a: the manager confirms evidence that the child's voice, wishes and
feelings were heard and responded to) and `feedback_sought` (2c: in the last 3 months the
allocated worker sought, discussed and recorded the child's feedback on the work). Answers are
yes, no or not_appropriate; returns are % yes out of yes + no.
"""
from __future__ import annotations

import polars as pl

from dashboard.loaders.keyed import KeyedLoader, check_references, codes
from dashboard.validate import Checker

CHECKS = ["voice_heard_assessment", "voice_heard_closure", "feedback_sought"]
ANSWERS = ["yes", "no", "not_appropriate"]


class VoiceChecksLoader(KeyedLoader):
    kind = "voice-checks"
    table = "voice_checks"
    required = ["child_ref", "la_code", "date", "check", "answer"]
    key = ["la_code", "child_ref", "date", "check"]
    renames = {"date": "check_date", "check": "check_type"}
    date_column = "date"
    table_columns = ["la_code", "child_ref", "check_date", "check_type", "answer"]
    noun = ("voice check", "voice checks")

    def validate(self, check: Checker, df: pl.DataFrame) -> pl.DataFrame:
        check.not_blank(df, ["child_ref"])
        check_references(check, df, ["child_ref"])
        df = check.dates(df, "date")
        df = check.vocab(df, "check", codes(CHECKS),
                         "one of the checks voice_heard_assessment, voice_heard_closure (return 2a) "
                         "or feedback_sought (return 2c)")
        df = check.vocab(df, "answer", codes(ANSWERS, {"n/a": "not_appropriate"}),
                         "yes, no or not_appropriate")
        return df
