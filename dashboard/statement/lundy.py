"""The Lundy self-assessment: questions per element (lundy.yaml), the answers given in the app,
and where each activity's listening loop breaks, beside the evidence the product holds.

Where the loop breaks is the first element, in order (space, voice, audience, influence), that
is not fully in place: "views gathered, no audience" is an activity whose audience is the first
element missing; "audience, no influence" one whose influence is.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from dashboard.statement import sidefile
from dashboard.statement.register import Activity, Loop

QUESTIONS = Path(__file__).resolve().parent / "lundy.yaml"
ANSWERS = ("yes", "partly", "no")
BREAKS = {"space": "no safe space to speak", "voice": "space, but views not well gathered",
          "audience": "views gathered, no audience", "influence": "audience, no influence"}


@dataclass(frozen=True)
class Question:
    id: str
    element: str
    text: str


@dataclass(frozen=True)
class Element:
    id: str
    title: str
    means: str
    questions: tuple[Question, ...]


@lru_cache(maxsize=1)
def elements() -> tuple[Element, ...]:
    raw = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    return tuple(Element(e["id"], e["title"], e["means"],
                         tuple(Question(q["id"], e["id"], q["text"]) for q in e["questions"]))
                 for e in raw["elements"])


def question_ids() -> set[str]:
    return {q.id for e in elements() for q in e.questions}


@dataclass(frozen=True)
class Assessment:
    activity_id: str
    element_state: dict[str, str]     # element -> in place | partly | missing | not assessed
    breaks_at: str | None             # first element not in place; None when all are
    answered_by: str | None
    answered_at: str | None

    @property
    def summary(self) -> str:
        if all(s == "not assessed" for s in self.element_state.values()):
            return "not assessed yet"
        if self.breaks_at is None:
            return "the loop is complete"
        return BREAKS[self.breaks_at]


def _state(answers: list[str | None]) -> str:
    if any(a is None for a in answers):
        return "not assessed"
    if all(a == "yes" for a in answers):
        return "in place"
    if all(a == "no" for a in answers):
        return "missing"
    return "partly"


def assess(activity_id: str, answers: dict[str, sidefile.Entry]) -> Assessment:
    """`answers`: question id -> the latest answer for this activity."""
    states = {e.id: _state([answers[q.id].value if q.id in answers else None for q in e.questions])
              for e in elements()}
    breaks = next((e for e, s in states.items() if s != "in place"), None)
    latest = max(answers.values(), key=lambda x: x.at, default=None)
    return Assessment(activity_id, states, breaks, latest.by if latest else None, latest.at if latest else None)


def evidence(loop: Loop) -> dict[str, str]:
    """What the product holds for each element of one activity, in words."""
    a: Activity = loop.activity
    statuses = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(loop.by_status.items()))
    return {
        "space": f"Asks {', '.join(c.replace('_', ' ') for c in a.cohorts)} aged {a.ages}",
        "voice": f"Runs {a.how_often.replace('_', ' ')}",
        "audience": a.findings_used or "The register does not say who hears the findings",
        "influence": (f"{loop.actions} action(s) recorded ({statuses}); children told about {loop.told}"
                      + (f", last on {loop.last_told.isoformat()}" if loop.last_told else "")
                      if loop.actions else "No action recorded under its source or themes")
                     + ("" if a.hear_back else "; the register does not say how children hear back"),
    }
