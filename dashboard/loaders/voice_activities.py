"""The register of the ways an LA listens (data set 1a, part B): one row per activity that asks
children and young people what they think (surveys, groups, forums, advocacy, complaints, feedback
forms, audits, interview panels).

The register is about services, not children: it names no child. It feeds the "How we listen"
page (who is asked what, how often, by how many routes) and section B of the annual statement.
"""
from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from dashboard.loaders.actions import SOURCES
from dashboard.loaders.keyed import KeyedLoader, codes
from dashboard.loaders.themes import COHORTS
from dashboard.problems import ROW
from dashboard.validate import Checker

KINDS = ["survey", "group", "forum", "advocacy", "complaints", "feedback_form", "audit", "interview_panel", "other"]
HOW_OFTEN = ["once", "weekly", "fortnightly", "monthly", "termly", "quarterly", "twice_yearly", "yearly", "ongoing"]
HOW_OFTEN_ALIASES = {"annually": "yearly", "annual": "yearly", "every year": "yearly", "twice a year": "twice_yearly",
                     "six monthly": "twice_yearly", "biannually": "twice_yearly", "each term": "termly",
                     "one off": "once", "one-off": "once", "continuous": "ongoing", "always open": "ongoing"}
KIND_ALIASES = {"feedback form": "feedback_form", "interview panel": "interview_panel", "recruitment panel": "interview_panel",
                "complaint": "complaints", "participation group": "group"}
AGE_MIN, AGE_MAX = 0, 25
AGE_RANGE = r"^\s*(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})\s*$"


class VoiceActivitiesLoader(KeyedLoader):
    kind = "voice-activities"
    table = "voice_activities"
    required = ["activity_id", "la_code", "activity", "kind", "cohorts", "how_often", "start_date"]
    optional = ["age_range", "owner", "findings_used", "hear_back", "action_source", "themes", "end_date"]
    key = ["la_code", "activity_id"]
    date_column = "start_date"
    table_columns = ["la_code", "activity_id", "activity", "kind", "cohorts", "age_from", "age_to", "how_often",
                     "owner", "findings_used", "hear_back", "action_source", "themes", "start_date", "end_date"]
    noun = ("activity", "activities")

    def validate(self, check: Checker, df: pl.DataFrame) -> pl.DataFrame:
        f = check.file
        check.not_blank(df, ["activity_id", "activity"])
        df = check.vocab(df, "kind", codes(KINDS, KIND_ALIASES), f"one of the kinds {', '.join(KINDS)}")
        df = check.vocab(df, "how_often", codes(HOW_OFTEN, HOW_OFTEN_ALIASES), f"one of {', '.join(HOW_OFTEN)}")
        df = check.vocab(df, "action_source", codes(SOURCES), f"blank or one of the actions' sources {', '.join(SOURCES)}",
                         blank_ok=True)
        df = self._cohorts(check, df)
        df = self._ages(check, df)
        # A register also plans ahead: an activity may start within the next year and end later.
        df = check.dates(df, "start_date", latest=date.today() + timedelta(days=366))
        df = check.dates(df, "end_date", blank_ok=True, latest=date.today() + timedelta(days=3660))
        ended_first = df.filter(pl.col("end_date") < pl.col("start_date")).with_columns(
            pl.concat_str(pl.col("end_date").cast(pl.String), pl.lit(" (start_date is "),
                          pl.col("start_date").cast(pl.String), pl.lit(")")).alias("__shown"))
        check.problems.add_rows(f, ended_first, "end_date", "a date on or after start_date (or blank while it runs)",
                                value_column="__shown")
        themes = (pl.col("themes").str.split(";").list.eval(pl.element().str.strip_chars())
                  .list.eval(pl.element().filter(pl.element() != "")))
        return df.with_columns(pl.when(pl.col("themes").is_null()).then(None).otherwise(themes).alias("themes"))

    def _cohorts(self, check: Checker, df: pl.DataFrame) -> pl.DataFrame:
        """';'-separated cohorts, each one of spec 3.7's; at least one."""
        allowed = codes(COHORTS, {"children in care": "child_in_care", "care leavers": "care_leaver",
                                  "parents": "parent_carer", "parents and carers": "parent_carer"})
        parts = (df.select(ROW, pl.col("cohorts").str.split(";").alias("__part")).explode("__part")
                 .with_columns(pl.col("__part").str.strip_chars().replace("", None))
                 .filter(pl.col("__part").is_not_null())
                 .with_columns(pl.col("__part").str.to_lowercase()
                               .replace_strict(allowed, default=None, return_dtype=pl.String).alias("__ok")))
        check.problems.add_rows(check.file, parts.filter(pl.col("__ok").is_null()), "cohorts",
                                f"cohorts separated by ';', each one of {', '.join(COHORTS)}", value_column="__part")
        good = (parts.filter(pl.col("__ok").is_not_null()).group_by(ROW)
                .agg(pl.col("__ok").unique(maintain_order=True).alias("__cohorts")))
        df = df.join(good, on=ROW, how="left")
        check.problems.add_rows(check.file, df.filter(pl.col("__cohorts").is_null() & pl.col("cohorts").is_null()),
                                "cohorts", f"at least one cohort (separate several with ';'): {', '.join(COHORTS)}")
        return df.with_columns(pl.col("__cohorts").alias("cohorts")).drop("__cohorts")

    def _ages(self, check: Checker, df: pl.DataFrame) -> pl.DataFrame:
        """'8-17' (or '8 to 17') into age_from and age_to; blank means any age."""
        lo = pl.col("age_range").str.extract(AGE_RANGE, 1).cast(pl.Int32, strict=False)
        hi = pl.col("age_range").str.extract(AGE_RANGE, 2).cast(pl.Int32, strict=False)
        df = df.with_columns(lo.alias("age_from"), hi.alias("age_to"))
        ok = (pl.col("age_from").is_not_null() & (pl.col("age_from") >= AGE_MIN) & (pl.col("age_to") <= AGE_MAX)
              & (pl.col("age_from") <= pl.col("age_to")))
        check.problems.add_rows(check.file, df.filter(pl.col("age_range").is_not_null() & ~ok), "age_range",
                                f"an age range written FROM-TO, such as 8-17, with ages from {AGE_MIN} to {AGE_MAX} "
                                "and FROM no more than TO (or blank for any age)")
        return df
