"""Raw counts ("atoms") behind each indicator, from the SQL files in queries/.

An atom is the finest cut of counts the product keeps: for survey indicators one row per LA,
survey, wave, age band and respondent group; for record indicators one row per LA, reporting
year and breakdown group. Rates carry positive / answered / not_answered; distributions carry a
category and its count (category NULL = not answered or could not be mapped).
Atoms never leave the engine: only gated figures do.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from dashboard import store
from dashboard.disclosure import rules
from dashboard.catalogue import SURVEY_COHORT, Catalogue, RecordIndicator, SurveyIndicator

SURVEY_GROUPS = ["gender", "placement_type", "disability"]
# Record SQL files that read a shared CTE: file -> (CTE name, CTE file).
CTES = {
    "pn_code_distribution": ("pn_codes_in_scheme", "pn_codes_in_scheme"),
    "participation_rate": ("pn_codes_in_scheme", "pn_codes_in_scheme"),
    "feedback_discussed_rate": ("forms", "feedback_forms_by_stage"),
    "feedback_score_distribution": ("forms", "feedback_forms_by_stage"),
    "feedback_all_fives": ("forms", "feedback_forms_by_stage"),
}


@dataclass
class Atoms:
    indicator_id: str
    frame: pl.DataFrame          # la_code, wave, cohort, [age_band], dims..., measures
    dims: list[str]              # breakdown dimensions
    shape: str                   # rate | distribution
    people: bool                 # counts about identifiable people (records)
    has_age_bands: bool
    pool: bool = True            # publish the pool of all LAs (a comparator for rates)


def query_text(name: str) -> store.Sql:
    """The SQL of queries/NAME.sql, with the shared CTE it reads prepended (both trusted files)."""
    text = store.sql_body(name)
    if name in CTES:
        cte, file = CTES[name]
        text = store.compose("WITH {cte} AS (\n{body}\n)\n{text}", cte=store.identifier(cte),
                             body=store.sql_body(file), text=text)
    return text


def survey_atoms(con: duckdb.DuckDBPyConnection, ind: SurveyIndicator) -> Atoms:
    params = {"question_id": ind.question, "positive_answers": [], "positive_min": None, "positive_max": None}
    if isinstance(ind.positive, list):
        params["positive_answers"] = list(ind.positive)
    else:
        params["positive_min"], params["positive_max"] = ind.positive.min, ind.positive.max
    frame = store.frame(con, query_text(ind.sql), params)
    frame = frame.with_columns(pl.col("survey").replace_strict(SURVEY_COHORT).alias("cohort"))
    return Atoms(ind.id, _together(_measures(frame), rules().groups_published_together), SURVEY_GROUPS,
                 "rate", False, True)


def _together(frame: pl.DataFrame, together: dict[str, dict[str, str]], force: bool = False) -> pl.DataFrame:
    """Groups published as one (disclosure.yaml, groups_published_together) counted as one;
    `force`: add up rows with equal keys even when no group is merged (categories were)."""
    merged = [pl.col(dim).replace(groups) for dim, groups in together.items() if dim in frame.columns]
    if not merged and not force:
        return frame
    measures = [c for c in ("positive", "answered", "not_answered", "n") if c in frame.columns]
    keys = [c for c in frame.columns if c not in measures]
    return (frame.with_columns(merged).group_by(keys, maintain_order=True)
            .agg(pl.col(measures).sum()))


def record_atoms(con: duckdb.DuckDBPyConnection, ind: RecordIndicator) -> Atoms:
    params = {k: v for k, v in ind.params.items() if k != "breakdowns"}
    frame = store.frame(con, query_text(ind.sql), params)
    frame = frame.with_columns(pl.lit(ind.cohort).alias("cohort"), pl.lit(None, dtype=pl.String).alias("survey"))
    dims = [str(d) for d in ind.params.get("breakdowns", [])]
    banded = bool(ind.categories_published_together) and "category" in frame.columns
    if banded:
        frame = frame.with_columns(pl.col("category").replace(ind.categories_published_together))
    frame = _together(_measures(frame), rules().groups_published_together, force=banded)
    return Atoms(ind.id, frame, dims, ind.shape, True, False)


def _measures(frame: pl.DataFrame) -> pl.DataFrame:
    casts = [pl.col(c).cast(pl.Int64) for c in ("positive", "answered", "not_answered", "n") if c in frame.columns]
    return frame.with_columns(casts).with_columns(pl.col("wave").cast(pl.Int32))


def atoms_for(con: duckdb.DuckDBPyConnection, ind) -> Atoms | None:
    if isinstance(ind, SurveyIndicator):
        return survey_atoms(con, ind)
    if isinstance(ind, RecordIndicator):
        return record_atoms(con, ind)
    return None


def all_atoms(con: duckdb.DuckDBPyConnection, catalogue: Catalogue) -> list[Atoms]:
    out = []
    for ind in catalogue.indicators:
        atoms = atoms_for(con, ind)
        if atoms is not None:
            out.append(atoms)
    return out
