"""Participation in reviews: one PN code per review (spec 3.3).

Two schemes of codes are accepted, each row saying which one it uses: `current` (the SSDA903
codes PN0..PN7) and `recommended` (the 2023 proposal, PN1..PN8, where PN0 is not used because
every child should have the chance to take part). Codes are stored as PN<digit>; the file may
write them in any case, with or without a space or hyphen, or as the bare digit: "pn1", "PN 1",
"PN-1" and "1" are all read as PN1.
"""
from __future__ import annotations

import polars as pl

from dashboard.loaders.keyed import KeyedLoader, check_references, codes
from dashboard.validate import Checker
from dashboard.vocabulary import REVIEW_TYPE_LABELS

REVIEW_TYPES = list(REVIEW_TYPE_LABELS)
SCHEMES = {
    "current": [f"PN{i}" for i in range(0, 8)],       # SSDA903, in use
    "recommended": [f"PN{i}" for i in range(1, 9)],   # the 2023 proposal
}
PN_PATTERN = r"^(?:pn)?[\s-]*(\d)$"


class ParticipationLoader(KeyedLoader):
    kind = "participation"
    table = "reviews"
    required = ["review_id", "la_code", "child_ref", "review_date", "review_type", "pn_code", "scheme"]
    key = ["la_code", "review_id"]
    date_column = "review_date"
    table_columns = ["la_code", "review_id", "child_ref", "review_date", "review_type", "pn_code", "scheme"]
    noun = ("review", "reviews")

    def validate(self, check: Checker, df: pl.DataFrame) -> pl.DataFrame:
        f = check.file
        check.not_blank(df, ["review_id", "child_ref"])
        check_references(check, df, ["child_ref"])
        df = check.dates(df, "review_date")
        df = check.vocab(df, "review_type", codes(REVIEW_TYPES), f"one of the review types {', '.join(REVIEW_TYPES)}")
        df = check.vocab(df, "scheme", codes(SCHEMES),
                         "current (the SSDA903 codes PN0 to PN7 in use) or recommended (the 2023 proposal, PN1 to PN8)")
        digit = pl.col("pn_code").str.to_lowercase().str.extract(PN_PATTERN, 1)
        df = df.with_columns(pl.when(digit.is_not_null()).then(pl.concat_str(pl.lit("PN"), digit)).alias("__pn"))
        pn = pl.col("__pn")
        check.problems.add_rows(f, df.filter(pl.col("pn_code").is_null()), "pn_code",
                                "a participation code (this column cannot be blank): PN0 to PN7 (current scheme) "
                                "or PN1 to PN8 (recommended scheme)")
        check.problems.add_rows(f, df.filter(pl.col("pn_code").is_not_null() & pn.is_null()), "pn_code",
                                "a participation code written like PN1 (or pn1, PN 1, 1): PN0 to PN7 in the current "
                                "scheme, PN1 to PN8 in the recommended scheme")
        check.problems.add_rows(f, df.filter((pl.col("scheme") == "recommended") & (pn == "PN0")), "pn_code",
                                "PN1 to PN8 in the recommended scheme: PN0 is not used there, because every child "
                                "should have the chance to take part (use PN8 when the chair decided there was a "
                                "valid reason the child could not participate, or give scheme current)")
        current = (pl.col("scheme") == "current") & pn.is_not_null() & ~pn.is_in(SCHEMES["current"])
        check.problems.add_rows(f, df.filter(current & (pn == "PN8")), "pn_code",
                                "PN0 to PN7 in the current (SSDA903) scheme: PN8 exists only in the recommended "
                                "scheme (give scheme recommended if that is the one used)")
        check.problems.add_rows(f, df.filter(current & (pn != "PN8")), "pn_code",
                                "PN0 to PN7 in the current (SSDA903) scheme")
        check.problems.add_rows(f, df.filter((pl.col("scheme") == "recommended") & pn.is_not_null()
                                             & ~pn.is_in(SCHEMES["recommended"]) & (pn != "PN0")), "pn_code",
                                "PN1 to PN8 in the recommended scheme")
        return df.with_columns(pn.alias("pn_code")).drop("__pn")
