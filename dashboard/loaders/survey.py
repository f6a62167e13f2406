"""Bright Spots survey responses (spec 3.1), long or wide, from CSV, Excel or Parquet."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from dashboard import store
from dashboard.catalogue import SURVEY_BANDS, Catalogue, default_catalogue
from dashboard.loaders.base import Loader, Prepared
from dashboard.problems import ROW, LoadRejected, Problems
from dashboard.readers import read_table
from dashboard.reference import la_reference
from dashboard.validate import Checker, lower_map

ID_COLUMNS = ["respondent_id", "la_code", "survey", "wave", "age_band"]
GROUP_COLUMNS = ["gender", "placement_type", "disability"]
SCOPE = ["la_code", "survey", "wave"]

GENDER = {"girl": "girl", "female": "girl", "f": "girl", "woman": "girl", "young woman": "girl",
          "boy": "boy", "male": "boy", "m": "boy", "man": "boy", "young man": "boy",
          "other": "other", "non-binary": "other", "non binary": "other", "in another way": "other",
          "prefer not to say": "not_stated", "not stated": "not_stated", "not_stated": "not_stated"}
PLACEMENT = {"foster": "foster", "foster care": "foster", "kinship": "kinship", "kinship care": "kinship",
             "residential": "residential", "residential care": "residential", "children's home": "residential",
             "other": "other", "not stated": "not_stated", "not_stated": "not_stated"}
DISABILITY = {"yes": "yes", "no": "no", "prefer not to say": "not_stated", "not stated": "not_stated",
              "not_stated": "not_stated", "don't know": "not_stated"}


SURVEYS = {"ylyc": "YLYC", "ylbc": "YLBC", "your life, your care": "YLYC", "your life beyond care": "YLBC"}
AGE_BANDS = lower_map(["4-7", "8-10", "8-11", "11-17", "16-25"])
EXPECTED = {
    "survey": "YLYC (Your Life, Your Care) or YLBC (Your Life Beyond Care)",
    "age_band": "one of the age bands 4-7, 8-10, 8-11, 11-17 (Your Life, Your Care) or 16-25 (Your Life Beyond Care)",
    "gender": "girl, boy, other or prefer not to say (or blank)",
    "placement_type": "foster, kinship, residential, other (or blank)",
    "disability": "yes, no, prefer not to say (or blank)",
    "no_questions": "either the columns question_id and answer (long layout: one row per answer) or "
                    "one column per question named by its question id, such as life_satisfaction "
                    "(wide layout: one row per respondent)",
    "unknown_question": "a question id from the indicator catalogue (for example life_satisfaction, "
                        "feel_safe_home); a local question must be added to indicators/ first",
    "not_asked": "a question that this survey asks of this age band (see the catalogue's `surveys`)",
}
VOCAB = {"survey_map": SURVEYS, "age_map": AGE_BANDS, "gender_map": GENDER, "placement_map": PLACEMENT,
         "disability_map": DISABILITY}


class SurveyLoader(Loader):
    kind = "bright-spots"
    table = "survey_responses"
    formats = ("csv", "xlsx", "parquet")

    def __init__(self, catalogue: Catalogue | None = None):
        self.catalogue = catalogue or default_catalogue()

    def columns(self) -> list[str]:
        return ["la_code", "survey", "wave", "age_band", "respondent_id", "question_id", "answer",
                "answer_value", "not_answered", "gender", "placement_type", "disability"]

    # -- reading ----------------------------------------------------------------------
    def streams(self, path: Path) -> bool:
        """CSV files are checked in DuckDB and streamed (survey_sql); Excel and Parquet files by polars."""
        return path.suffix.lower() in (".csv", ".txt") and os.environ.get("VOICE_SURVEY_POLARS", "") != "1"

    def prepare_stream(self, path: Path, options: dict) -> Prepared:
        """The CSV path in DuckDB (survey_sql): the same checks and messages as prepare(), never the
        whole file in Python. A file DuckDB cannot read as polars would goes to prepare()."""
        from dashboard.loaders import survey_sql
        from dashboard.readers import InputBytes, Limits, file_format, pinned

        path = Path(path)
        fmt = file_format(path, self.formats)
        try:
            digest, layout, rows_read, notices, staged, scopes = survey_sql.prepare_csv(
                self, path, Limits.from_env(), VOCAB, EXPECTED)
        except survey_sql.NotForDuckDB as exc:
            with pinned(InputBytes(path, exc.data, exc.digest)):
                return self.prepare(path, exc.digest, options)
        ref = la_reference()
        scope = "; ".join(f"{ref.name(la)} {s} {w}" for la, s, w in scopes.iter_rows())
        return Prepared(path, digest, fmt, None, rows_read, scope, layout, notices,
                        extra={"scopes": scopes}, staged=staged)

    def prepare(self, path: Path, digest: str, options: dict) -> Prepared:
        table = read_table(path, self.formats, sheet=options.get("sheet"))
        check = Checker(table)
        check.notices.extend(table.notices)
        questions = self.catalogue.questions()
        present = {c.lower() for c in table.columns()}
        if {"question_id", "answer"} <= present:
            layout = "long"
            df = check.columns(ID_COLUMNS + ["question_id", "answer"], GROUP_COLUMNS)
        else:
            layout = "wide"
            qcols = [c for c in table.columns() if c.lower() in questions]
            if not qcols:
                missing = [c for c in ID_COLUMNS if c not in present]
                p = Problems()
                p.add(table.name, 1, None, None,
                      EXPECTED["no_questions"] + (f"; also missing: {', '.join(missing)}" if missing else ""))
                raise LoadRejected(p)
            df = check.columns(ID_COLUMNS, GROUP_COLUMNS + [c.lower() for c in qcols])
            if df is not None:
                qnames = [c.lower() for c in qcols]
                df = df.unpivot(index=[ROW] + [c for c in df.columns if c not in qnames and c != ROW],
                                on=qnames, variable_name="question_id", value_name="answer")
        if df is None:
            raise LoadRejected(check.problems)
        rows_read = table.df.height
        df = self._validate(check, df, questions, layout)
        if check.problems:
            raise LoadRejected(check.problems)
        ref = la_reference()
        scopes = df.select(SCOPE).unique().sort(SCOPE)
        scope = "; ".join(f"{ref.name(la)} {s} {w}" for la, s, w in scopes.iter_rows())
        return Prepared(path, digest, table.format, df, rows_read, scope, layout, check.notices,
                        extra={"scopes": scopes})

    def _validate(self, check: Checker, df: pl.DataFrame, questions: dict, layout: str) -> pl.DataFrame:
        f = check.file
        for c in GROUP_COLUMNS:
            if c not in df.columns:
                df = df.with_columns(pl.lit(None, dtype=pl.String).alias(c))
        check.not_blank(df, ["respondent_id"])
        df = check.la_codes(df)
        df = check.vocab(df, "survey", SURVEYS, EXPECTED["survey"])
        df = check.integer(df, "wave", 2010, date.today().year, "a survey year")
        df = check.vocab(df, "age_band", AGE_BANDS, EXPECTED["age_band"])
        check.la_existed(df, "wave")
        # The age band must belong to the survey.
        for survey, bands in SURVEY_BANDS.items():
            bad = df.filter((pl.col("survey") == survey) & pl.col("age_band").is_not_null()
                            & ~pl.col("age_band").is_in(list(bands)))
            check.problems.add_rows(f, bad, "age_band", f"an age band of {survey}: {', '.join(bands)}")
        df = check.vocab(df, "gender", GENDER, EXPECTED["gender"], blank_ok=True)
        df = check.vocab(df, "placement_type", PLACEMENT, EXPECTED["placement_type"], blank_ok=True)
        df = check.vocab(df, "disability", DISABILITY, EXPECTED["disability"], blank_ok=True)
        df = df.with_columns([pl.col(c).fill_null("not_stated") for c in GROUP_COLUMNS])

        # Question ids known to the catalogue, and asked of this survey and age band.
        df = df.with_columns(pl.col("question_id").str.to_lowercase())
        known = list(questions)
        check.not_blank(df, ["question_id"])
        check.problems.add_rows(f, df.filter(pl.col("question_id").is_not_null() & ~pl.col("question_id").is_in(known)),
                                "question_id", EXPECTED["unknown_question"])
        asked = pl.DataFrame(
            [(q, s, b) for q, ind in questions.items() for s, bands in ind.surveys.items() for b in bands],
            schema={"question_id": pl.String, "survey": pl.String, "age_band": pl.String}, orient="row",
        ).with_columns(pl.lit(True).alias("__asked"))
        df = df.join(asked, on=["question_id", "survey", "age_band"], how="left")
        not_asked = df.filter(pl.col("question_id").is_in(known) & pl.col("survey").is_not_null()
                              & pl.col("age_band").is_not_null() & pl.col("__asked").is_null())
        if not_asked.height:
            not_asked = not_asked.with_columns(
                pl.concat_str([pl.col("question_id"), pl.lit(" for "), pl.col("survey"), pl.lit(" "),
                               pl.col("age_band")]).alias("__what"))
            check.problems.add_rows(f, not_asked, "question_id", EXPECTED["not_asked"], value_column="__what")
        df = df.drop("__asked")
        df = self._answers(check, df, questions, layout)
        # One answer per respondent and question; one age band and profile per respondent.
        check.unique(df, ["la_code", "survey", "wave", "respondent_id", "question_id"], "each respondent's answer to a question")
        profile = df.group_by(["la_code", "survey", "wave", "respondent_id"]).agg(
            [pl.col(c).n_unique().alias(c) for c in ["age_band", *GROUP_COLUMNS]])
        for c in ["age_band", *GROUP_COLUMNS]:
            clash = profile.filter(pl.col(c) > 1).select(["la_code", "survey", "wave", "respondent_id"])
            if clash.height:
                rows = df.join(clash, on=["la_code", "survey", "wave", "respondent_id"]).sort(ROW)
                first = rows.group_by("respondent_id").agg(pl.col(ROW).min().alias("__first"))
                rows = rows.join(first, on="respondent_id").filter(pl.col(ROW) != pl.col("__first"))
                check.problems.add_rows(f, rows, c, f"the same {c} on every row of a respondent "
                                        "(this respondent has another value on an earlier row)")
        return df

    def _answers(self, check: Checker, df: pl.DataFrame, questions: dict, layout: str) -> pl.DataFrame:
        """Canonical answer, numeric value and not-answered reason, by each question's answer type."""

        def report(bad: pl.DataFrame, expected: str) -> None:
            # In the wide layout the answer sits in the question's own column: name that column.
            if layout == "long":
                check.problems.add_rows(check.file, bad, "answer", expected)
                return
            for (question,), rows in bad.group_by("question_id", maintain_order=True):
                check.problems.add_rows(check.file, rows, question, expected, value_column="answer")

        na = self.catalogue.not_answered_lookup()
        qtype = {q: ind.answer_type for q, ind in questions.items()}
        df = df.with_columns(pl.col("question_id").replace_strict(qtype, default=None, return_dtype=pl.String).alias("__type"),
                             pl.col("answer").str.to_lowercase().alias("__low"))
        df = df.with_columns(
            pl.when(pl.col("answer").is_null()).then(pl.lit("blank"))
            .otherwise(pl.col("__low").replace_strict(na, default=None, return_dtype=pl.String)).alias("not_answered"))
        parts = []
        for name, atype in self.catalogue.answer_types.items():
            sub = df.filter(pl.col("__type") == name)
            if sub.height == 0:
                continue
            given = pl.col("not_answered").is_null()
            if atype.numeric:
                lo, hi = atype.range.min, atype.range.max
                value = pl.col("answer").cast(pl.Int64, strict=False)
                sub = sub.with_columns(pl.when(given).then(value).otherwise(None).alias("answer_value"))
                bad = sub.filter(given & (pl.col("answer_value").is_null() | (pl.col("answer_value") < lo)
                                          | (pl.col("answer_value") > hi)))
                report(bad, f"a whole number from {lo} to {hi}, or blank, Don't know or Prefer not to say "
                       f"({name} question)")
                sub = sub.with_columns(pl.when(given).then(pl.col("answer_value").cast(pl.String)).otherwise(None).alias("answer"))
            else:
                lookup = atype.lookup()
                canon = pl.col("__low").replace_strict(lookup, default=None, return_dtype=pl.String)
                sub = sub.with_columns(pl.when(given).then(canon).otherwise(None).alias("__canon"),
                                       pl.lit(None, dtype=pl.Int64).alias("answer_value"))
                bad = sub.filter(given & pl.col("__canon").is_null())
                report(bad, f"one of {', '.join(atype.answers)}, or blank, Don't know or Prefer not to say "
                       f"({name} question)")
                sub = sub.with_columns(pl.col("__canon").alias("answer")).drop("__canon")
            parts.append(sub)
        unknown = df.filter(pl.col("__type").is_null())  # already reported as unknown questions
        if unknown.height:
            parts.append(unknown.with_columns(pl.lit(None, dtype=pl.Int64).alias("answer_value")))
        out = pl.concat(parts, how="diagonal_relaxed") if parts else df
        return out.drop("__type", "__low").with_columns(pl.col("answer_value").cast(pl.Int32),
                                                        pl.col("wave").cast(pl.Int32))

    # -- writing ----------------------------------------------------------------------
    def check_store(self, con: duckdb.DuckDBPyConnection, prepared: Prepared, replace: bool,
                    problems: Problems) -> list[str]:
        scopes: pl.DataFrame = prepared.extra["scopes"]
        con.register("incoming_scopes", scopes.to_arrow())
        try:
            loaded = con.execute(store.sql("survey_waves_loaded")).fetchall()
        finally:
            con.unregister("incoming_scopes")
        ref = la_reference()
        replaced = []
        for la, survey, wave, answers, load_ids, files in loaded:
            what = f"{ref.label(la)} {survey} {wave}"
            source = f"{answers:,} answers from load {', '.join(f'#{i}' for i in load_ids)} ({', '.join(files)})"
            if not replace:
                problems.add(prepared.path.name, None, "la_code + survey + wave", what,
                             f"a survey wave that is not loaded yet: {what} is already loaded ({source}); "
                             "use --replace to replace it with this file")
                continue
            con.execute("DELETE FROM survey_responses WHERE la_code = ? AND survey = ? AND wave = ?", [la, survey, wave])
            con.execute("DELETE FROM survey_answer_counts WHERE la_code = ? AND survey = ? AND wave = ?", [la, survey, wave])
            replaced.append(f"{what}: {source}")
        return replaced

    def after_insert(self, con: duckdb.DuckDBPyConnection, prepared: Prepared) -> None:
        con.register("incoming_scopes", prepared.extra["scopes"].to_arrow())
        try:
            con.execute(store.sql("count_survey_answers"))
        finally:
            con.unregister("incoming_scopes")
