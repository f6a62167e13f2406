"""\"You said, we did\" actions (spec 3.6): what was heard, what was done about it, and whether
children were told. Each action links to a finding through an indicator of the catalogue, a
theme, or both; an action that was not possible must say why."""
from __future__ import annotations

import polars as pl

from dashboard.catalogue import Catalogue, default_catalogue
from dashboard.loaders.keyed import KeyedLoader, codes
from dashboard.validate import Checker
from dashboard.vocabulary import ACTION_SOURCE_LABELS, ACTION_STATUS_LABELS

SOURCES = list(ACTION_SOURCE_LABELS)
STATUSES = list(ACTION_STATUS_LABELS)
# Whose views an action answers, when it is one group's only (blank: everyone its finding covers).
COHORTS = ["children_in_care", "care_leavers"]


class ActionsLoader(KeyedLoader):
    kind = "actions"
    table = "actions"
    required = ["action_id", "la_code", "raised_on", "source", "we_heard", "status"]
    optional = ["indicator_id", "theme", "we_did", "reason", "told_children_on", "owner", "cohort"]
    key = ["la_code", "action_id"]
    date_column = "raised_on"
    table_columns = ["la_code", "action_id", "raised_on", "source", "indicator_id", "theme", "we_heard",
                     "we_did", "status", "reason", "told_children_on", "owner", "cohort"]
    noun = ("action", "actions")

    def __init__(self, catalogue: Catalogue | None = None):
        self.catalogue = catalogue or default_catalogue()

    def header_problems(self, check: Checker) -> None:
        present = {c.lower() for c in check.table.columns()}
        if not {"indicator_id", "theme"} & present:
            check.problems.add(check.file, 1, "indicator_id", None,
                               "a column named 'indicator_id' or 'theme' (or both): each action must link to "
                               "the finding it answers")

    def validate(self, check: Checker, df: pl.DataFrame) -> pl.DataFrame:
        f = check.file
        check.not_blank(df, ["action_id", "we_heard"])
        df = check.dates(df, "raised_on")
        df = check.dates(df, "told_children_on", blank_ok=True)
        df = check.vocab(df, "source", codes(SOURCES), f"one of the sources {', '.join(SOURCES)}")
        df = check.vocab(df, "status", codes(STATUSES), f"one of the statuses {', '.join(STATUSES)}")
        df = check.vocab(df, "cohort", codes(COHORTS), f"one of {', '.join(COHORTS)}, or blank for everyone "
                         "the finding covers", blank_ok=True)
        check.problems.add_rows(f, df.filter((pl.col("status") == "not_possible") & pl.col("reason").is_null()),
                                "reason", "a reason whenever the status is not_possible: children should be told "
                                "why it could not be done")
        indicators = [i.id for i in self.catalogue.indicators]
        df = df.with_columns(pl.col("indicator_id").str.to_lowercase())
        check.problems.add_rows(f, df.filter(pl.col("indicator_id").is_not_null() & ~pl.col("indicator_id").is_in(indicators)),
                                "indicator_id", "an indicator id from the catalogue (for example "
                                f"{', '.join(indicators[:2])}), or a blank indicator_id and a theme instead")
        check.problems.add_rows(f, df.filter(pl.col("indicator_id").is_null() & pl.col("theme").is_null()),
                                "indicator_id", "an indicator_id or a theme (or both): each action must link to "
                                "the finding it answers")
        early = df.filter(pl.col("told_children_on") < pl.col("raised_on")).with_columns(
            pl.concat_str(pl.col("told_children_on").cast(pl.String), pl.lit(" (raised_on is "),
                          pl.col("raised_on").cast(pl.String), pl.lit(")")).alias("__shown"))
        check.problems.add_rows(f, early, "told_children_on",
                                "a date on or after raised_on: children cannot be told about an action before it was raised",
                                value_column="__shown")
        return df
