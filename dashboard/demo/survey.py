"""Synthetic Bright Spots survey files (spec 3.1), long layout, and one LA-wave wide.

Each respondent has a well-being level of their own; every answer is positive with a
probability built from the question's usual rate in the published research, the LA, the wave
and the respondent's group (girls, children in residential care and disabled young people
report lower well-being, as the Bright Spots research finds), so rates differ between LAs,
groups and waves in a believable way. A few LAs also ask the catalogue's local questions
(indicators/local/) after the Bright Spots ones, in some waves only (LOCAL_ASKERS).
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from dashboard.catalogue import Catalogue, default_catalogue
from dashboard.demo.places import Area
from dashboard.demo.records import weighted

WAVES = (2021, 2023, 2025)
# The middle YLYC band was 8-10 in the earliest wave, 8-11 later (spec 3.1).
MIDDLE_BAND = {2021: "8-10", 2023: "8-11", 2025: "8-11"}
LATE_JOINERS = {"302", "831", "908"}     # took part from 2023 only
WIDE = ("805", "YLBC", 2025)             # the one LA-survey-wave written in the wide layout
OLD_CODES = {"383"}                       # these LAs' exports use the 3-digit code
ALIASES = {"908": {"Hardly ever or never": "Hardly ever/never", "All or most of the time": "All/most of the time"}}
# Local questions (the catalogue's indicators/local/): an LA adds its own questions to its
# survey, so only these LAs ask them, and only in these waves (old code -> waves).
LOCAL_ASKERS = {"886": (2023, 2025), "383": (2023, 2025), "801": (2021, 2023, 2025), "805": (2025,)}
LOCAL_BASE = (0.68, 0.62)                 # usual positive share of a local question, as in BASE
LOCAL_TYPES = {"yes_no", "frequency", "contact", "count", "scale_0_10"}   # answer types _answer can write

# Usual share answering positively: (children in care, care leavers). From the published
# Bright Spots findings where they exist (e.g. 7% of children in care with no good friend,
# 26% of care leavers with low life satisfaction, 22% often lonely), otherwise plausible.
BASE = {
    "life_satisfaction": (0.83, 0.74), "happy_yesterday": (0.80, 0.70), "worthwhile": (0.84, 0.80),
    "anxious_yesterday": (None, 0.67), "feel_safe_home": (0.92, 0.85), "feel_safe_neighbourhood": (None, 0.76),
    "home_right_for_you": (None, 0.78), "like_bedroom": (0.90, None), "feel_settled": (0.85, 0.74),
    "home_stability": (0.86, 0.80), "see_mum": (0.42, None), "see_dad": (0.38, None),
    "see_siblings": (0.45, None), "trust_carers": (0.90, None), "good_friend": (0.93, 0.88),
    "has_pet": (0.55, 0.40), "trusted_adult": (0.94, 0.90), "emotional_support": (None, 0.80),
    "support_with_worries": (0.76, None), "talk_to_carers": (0.66, None), "carers_notice_feelings": (0.75, None),
    "someone_believes_in_you": (None, 0.85), "not_lonely": (None, 0.45), "know_worker": (0.88, 0.90),
    "trust_worker": (0.80, 0.75), "easy_contact_worker": (0.70, 0.68), "worker_stability": (0.60, 0.55),
    "speak_to_worker_alone": (0.70, None), "involved_in_decisions": (0.66, 0.60),
    "not_made_feel_different": (0.75, None), "reason_for_care_explained": (0.76, 0.70),
    "like_school": (0.70, None), "studying_working_training": (None, 0.62),
    "adults_interested_education": (0.80, None), "not_afraid_bullying": (0.80, None),
    "internet_access": (0.93, 0.80), "coping_financially": (None, 0.55), "life_skills": (0.75, None),
    "similar_to_friends": (0.65, None), "fun_hobbies": (0.80, 0.60), "access_nature": (0.70, None),
    "goals_plans": (0.78, None), "life_getting_better": (0.83, 0.70), "positive_future": (0.70, 0.55),
    "no_stress": (None, 0.32), "no_worries_feelings": (0.56, None), "positive_feelings": (None, 0.55),
    "not_angry_afraid": (None, 0.50), "happy_with_looks": (0.60, None),
}
BAND_EFFECT = {"4-7": 0.35, "8-10": 0.2, "8-11": 0.2, "11-17": 0.0, "16-25": 0.0}
GENDER_EFFECT = {"Girl": -0.45, "Boy": 0.0, "In another way": -0.7, "Prefer not to say": -0.2}
PLACEMENT_EFFECT = {"Foster care": 0.05, "Kinship care": 0.15, "Residential care": -0.65, "Other": -0.1, "": 0.0}
DISABILITY_EFFECT = {"Yes": -0.25, "No": 0.0, "Prefer not to say": -0.1}
WAVE_EFFECT = {2021: -0.15, 2023: 0.0, 2025: 0.05}
# The group effects above average about -0.3, and spread between people pulls every rate
# towards a half: these two constants bring the average back to the published rates.
CENTRE = 0.3
STRETCH = 1.15

LONG_COLUMNS = ["respondent_id", "la_code", "survey", "wave", "age_band", "gender", "placement_type",
                "disability", "question_id", "answer"]


@dataclass
class SurveyModel:
    """Per-seed effects that make LAs differ overall and question by question."""

    la: dict[str, float]
    la_wave: dict[tuple[str, int], float]
    la_question: dict[tuple[str, str], float]


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def make_model(rng: random.Random, areas: list[Area]) -> SurveyModel:
    la = {a.old: rng.gauss(0, 0.25) for a in areas}
    la_wave = {}
    for a in areas:
        level = 0.0
        for w in WAVES:
            la_wave[(a.old, w)] = level
            level += rng.gauss(0, 0.18)
    la_question = {(a.old, q): rng.gauss(0, 0.3) for a in areas for q in BASE}
    return SurveyModel(la, la_wave, la_question)


def _asked(catalogue: Catalogue, local: bool = False) -> dict[tuple[str, str], list[str]]:
    """(survey, band) -> question ids the catalogue says that survey asks of that band, in catalogue
    order: the Bright Spots questions, or (local) the LAs' own questions."""
    out: dict[tuple[str, str], list[str]] = {}
    for q, ind in catalogue.questions().items():
        wanted = (ind.local and ind.answer_type in LOCAL_TYPES) if local else q in BASE
        if not wanted:
            continue
        for survey, bands in ind.surveys.items():
            for band in bands:
                out.setdefault((survey, band), []).append(q)
    return out


def _answer(rng: random.Random, kind: str, positive: object, good: bool) -> str:
    """An answer text of the question's type that is (or is not) counted as positive."""
    if kind == "yes_no":
        return "Yes" if good else "No"
    if kind == "contact":
        return "About right" if good else weighted(rng, [("Not enough", 0.8), ("Too much", 0.2)])
    if kind == "frequency":
        if positive == ["Hardly ever or never"]:  # negatively worded: 'hardly ever lonely' is good
            return "Hardly ever or never" if good else weighted(rng, [("Sometimes", 0.65), ("All or most of the time", 0.35)])
        return "All or most of the time" if good else weighted(rng, [("Sometimes", 0.7), ("Hardly ever or never", 0.3)])
    lo, hi = positive.min, positive.max
    if kind == "count":       # e.g. moves or social workers in the last year: 0-1 is good
        if good:
            return str(rng.choice([0, 0, 1]) if lo == 0 else lo)
        return str(weighted(rng, [(str(n), 1 / (n - hi)) for n in range(hi + 1, 8)]))
    # 0-10 scale: good is 5-10 (or 0-5 for anxiety)
    if lo == 0:
        return str(weighted(rng, [("0", 3), ("1", 3), ("2", 3), ("3", 2.5), ("4", 2), ("5", 1.5)]) if good
                   else weighted(rng, [("6", 2), ("7", 2), ("8", 1.6), ("9", 1.2), ("10", 1.2)]))
    if good:
        return weighted(rng, [("5", 1.0), ("6", 1.4), ("7", 2.2), ("8", 2.6), ("9", 1.8), ("10", 1.6)])
    return weighted(rng, [("0", 0.6), ("1", 0.5), ("2", 0.8), ("3", 1.2), ("4", 1.6)])


def _profile(rng: random.Random, survey: str, band: str) -> tuple[str, str, str]:
    older = band in ("11-17", "16-25")
    gender = weighted(rng, [("Girl", 0.46), ("Boy", 0.495), ("In another way", 0.03 if older else 0.0),
                             ("Prefer not to say", 0.015)])
    if survey == "YLBC":
        placement = ""   # care leavers are no longer in a placement
    else:
        residential = {"4-7": 0.012, "8-10": 0.05, "8-11": 0.05, "11-17": 0.16}[band]
        kinship = {"4-7": 0.19, "8-10": 0.15, "8-11": 0.15, "11-17": 0.10}[band]
        placement = weighted(rng, [("Residential care", residential), ("Kinship care", kinship),
                                    ("Other", 0.04), ("", 0.02),
                                    ("Foster care", 1 - residential - kinship - 0.06)])
    disability = weighted(rng, [("Yes", 0.14), ("No", 0.78), ("Prefer not to say", 0.08)])
    return gender, placement, disability


def respondents(rng: random.Random, area: Area, survey: str, wave: int) -> int:
    if survey == "YLYC":
        n = area.cla * 0.8 * area.response_rate
        return max(25, min(380, round(n * rng.uniform(0.8, 1.15))))
    n = area.cla * 0.35 * area.response_rate
    return max(18, min(220, round(n * rng.uniform(0.75, 1.2))))


def generate_wave(rng: random.Random, model: SurveyModel, area: Area, survey: str, wave: int,
                  catalogue: Catalogue) -> list[tuple]:
    """Long rows for one LA, survey and wave (LONG_COLUMNS order)."""
    questions = catalogue.questions()
    asked = _asked(catalogue)
    if wave in LOCAL_ASKERS.get(area.old, ()):     # this LA added its own questions after the Bright Spots ones
        local = _asked(catalogue, local=True)
        asked = {key: qs + local.get(key, []) for key, qs in asked.items()}
    col = 0 if survey == "YLYC" else 1
    bands = ([("4-7", 0.18), (MIDDLE_BAND[wave], 0.27), ("11-17", 0.55)] if survey == "YLYC" else [("16-25", 1.0)])
    code = area.old if area.old in OLD_CODES else area.code
    aliases = ALIASES.get(area.old, {})
    base = model.la[area.old] + model.la_wave[(area.old, wave)] + WAVE_EFFECT[wave]
    prefix = "CL" if survey == "YLBC" else "CIC"
    rows: list[tuple] = []
    for i in range(1, respondents(rng, area, survey, wave) + 1):
        band = weighted(rng, bands)
        gender, placement, disability = _profile(rng, survey, band)
        person = (base + CENTRE + BAND_EFFECT[band] + GENDER_EFFECT[gender] + PLACEMENT_EFFECT[placement]
                  + DISABILITY_EFFECT[disability] + rng.gauss(0, 0.7))
        skips = rng.random() < 0.12          # some respondents leave a few questions out
        unsure = 0.09 if band == "4-7" else 0.035
        rid = f"{prefix}{wave % 100:02d}-{i:04d}"
        for q in asked[(survey, band)]:
            ind = questions[q]
            kind = ind.answer_type
            r = rng.random()
            if skips and r < 0.08:
                answer = ""
            elif kind in ("yes_no", "frequency", "contact") and r > 1 - unsure:
                answer = "Don't know"
            elif survey == "YLBC" and r > 0.985 or kind == "scale_0_10" and r > 0.99:
                answer = "Prefer not to say"
            else:
                usual = BASE[q][col] if q in BASE else LOCAL_BASE[col]
                p = 1 / (1 + math.exp(-(STRETCH * _logit(usual) + person + model.la_question.get((area.old, q), 0.0))))
                answer = _answer(rng, kind, ind.positive, rng.random() < p)
                answer = aliases.get(answer, answer)
            rows.append((rid, code, survey, wave, band, gender, placement, disability, q, answer))
    return rows


def write_long(path: Path, rows: list[tuple]) -> None:
    frame = pl.DataFrame(rows, schema=LONG_COLUMNS, orient="row",
                         schema_overrides={"wave": pl.Int32})
    frame.write_csv(path)


def write_wide(path: Path, rows: list[tuple]) -> None:
    """One row per respondent, one column per question id, as survey tools export."""
    frame = pl.DataFrame(rows, schema=LONG_COLUMNS, orient="row", schema_overrides={"wave": pl.Int32})
    order = list(dict.fromkeys(frame["question_id"].to_list()))
    wide = frame.pivot(on="question_id", index=LONG_COLUMNS[:8], values="answer", aggregate_function=None)
    wide.select(LONG_COLUMNS[:8] + order).write_csv(path)


def write_survey_files(rng: random.Random, areas: list[Area], folder: Path, model: SurveyModel | None = None,
                       catalogue: Catalogue | None = None) -> list[Path]:
    """Write every synthetic survey file into `folder`; returns them in load order."""
    catalogue = catalogue or default_catalogue()
    model = model or make_model(rng, areas)
    files = []
    for wave in WAVES:
        for area in areas:
            if wave == WAVES[0] and area.old in LATE_JOINERS:
                continue
            for survey in ("YLYC", "YLBC"):
                rows = generate_wave(rng, model, area, survey, wave, catalogue)
                slug = area.name.split(",")[0].lower().replace(" ", "_")
                if (area.old, survey, wave) == WIDE:
                    path = folder / f"SYNTHETIC_bright_spots_{slug}_{survey}_{wave}_wide.csv"
                    write_wide(path, rows)
                else:
                    path = folder / f"SYNTHETIC_bright_spots_{slug}_{survey}_{wave}.csv"
                    write_long(path, rows)
                files.append(path)
    return files
