"""Synthetic register of the ways each demo LA listens (input kind voice-activities).

Every LA has the core routes (Bright Spots, a children in care council, a care leavers forum,
feedback forms, advocacy, complaints); the rest vary, so the "How we listen" page has something
to find: in some LAs children in care are asked by many routes in the same quarter, in others
nobody asks families in early help, and one recruitment panel has ended.
"""
from __future__ import annotations

import random
from pathlib import Path

from dashboard.demo.places import Area
from dashboard.demo.records import _write

COLUMNS = ["activity_id", "la_code", "activity", "kind", "cohorts", "age_range", "how_often", "owner",
           "findings_used", "hear_back", "action_source", "themes", "start_date", "end_date"]

# (activity, kind, cohorts, ages, how often, owner, how findings are used, how children hear back, actions' source, themes)
CORE = [
    ("Bright Spots surveys (Your Life, Your Care and Your Life Beyond Care)", "survey", "child_in_care;care_leaver",
     "4-25", "yearly", "Participation Manager",
     "Findings go to the corporate parenting panel, which agrees actions each spring",
     "A 'you said, we did' booklet for every child and young person", "bright_spots", ""),
    ("Children in care council", "group", "child_in_care", "11-17", "monthly", "Participation Officer",
     "The council sets its own agenda and meets the Director of Children's Services twice a year",
     "Minutes written by the young people after every meeting", "children_in_care_council",
     "contact with family;knowing my story"),
    ("Care leavers forum", "forum", "care_leaver", "16-25", "monthly", "Leaving Care Service Manager",
     "Issues go to the leaving care management team and the local offer review",
     "A message on the care leavers' app after each meeting", "care_leavers_forum", "money and housing;loneliness"),
    ("Feedback forms after direct work", "feedback_form", "child_in_need;child_protection;child_in_care;parent_carer",
     "8-17", "ongoing", "Practice Standards Lead",
     "Team managers talk about the forms in supervision; themes go to the practice week",
     "Workers talk about the answers at the next visit", "feedback", "having a say in plans;help for parents"),
    ("Independent advocacy", "advocacy", "child_in_care;child_protection;care_leaver", "5-25", "ongoing",
     "Commissioning Manager", "The advocacy provider reports themes every quarter",
     "The advocate tells each young person what happened", "advocacy", "being listened to;feeling safe"),
    ("Complaints from children and young people", "complaints", "child_in_care;care_leaver;child_in_need", "8-25",
     "ongoing", "Complaints Manager", "Lessons learnt go to the quality assurance board",
     "A letter in plain words with the outcome", "complaints", ""),
]
# Extra routes, each LA having some of them (chosen by the seed).
EXTRA = [
    ("Young inspectors", "audit", "child_in_care;care_leaver", "13-21", "quarterly", "Participation Lead",
     "Inspection reports go to the service inspected, which replies in writing", "A feedback session with the service",
     "young_inspectors", "changing social workers;hobbies and clubs"),
    ("Recruitment panels for social workers and managers", "interview_panel", "child_in_care;care_leaver", "14-25",
     "quarterly", "HR Business Partner", "Young people's scores count towards who is appointed",
     "Panel members hear who was appointed and why", "", ""),
    ("Health and wellbeing survey for children in care", "survey", "child_in_care", "8-17", "quarterly",
     "Looked After Children Nurse Lead", "Results shape the health assessment service", "", "", ""),
    ("Case file audits with a conversation with the child", "audit", "child_in_care;child_protection", "8-17",
     "monthly", "Quality Assurance Manager", "Audit findings go to the monthly practice meeting", "", "", ""),
    ("Early help family feedback calls", "feedback_form", "early_help;parent_carer", "", "termly", "Early Help Manager",
     "Calls are summarised for the early help partnership", "A summary on the family hub noticeboard", "feedback",
     "early help"),
    ("Mental health support group for care leavers", "group", "care_leaver", "18-25", "fortnightly",
     "Leaving Care Service Manager", "The group advises the mental health transitions project", "",
     "participation", "mental health support"),
]


def activity_rows(rng: random.Random, area: Area) -> list[tuple]:
    chosen = CORE + [a for a in EXTRA if rng.random() < 0.6]
    rows = []
    for i, (name, kind, cohorts, ages, often, owner, used, back, source, themes) in enumerate(chosen, 1):
        start = f"{rng.randint(2015, 2023)}-{rng.randint(1, 12):02d}-01"
        end = ""
        if kind == "interview_panel" and rng.random() < 0.4:
            end = "2024-12-31"
            start = "2023-01-01"
        rows.append((f"LISTEN-{area.old}-{i:02d}", area.code, name, kind, cohorts, ages, often, owner, used, back,
                     source, themes, start, end))
    return rows


def write_activities(rng: random.Random, areas: list[Area], folder: Path) -> list[Path]:
    rows = [r for a in areas for r in activity_rows(rng, a)]
    return [_write(folder / "SYNTHETIC_voice_activities.csv", COLUMNS, rows)]


# Lundy self-assessment profiles: answers per element (space, voice, audience, influence).
PROFILES = [
    ("complete", {"space": "yes", "voice": "yes", "audience": "yes", "influence": "yes"}),
    ("no audience", {"space": "yes", "voice": "yes", "audience": "no", "influence": "no"}),
    ("no influence", {"space": "yes", "voice": "yes", "audience": "yes", "influence": "partly"}),
    ("voice partly", {"space": "yes", "voice": "partly", "audience": "yes", "influence": "partly"}),
    ("not assessed", {}),
]
ANSWERED_BY = "Participation Lead (SYNTHETIC demo answer)"
ANSWERED_AT = "2025-03-14T10:00:00+00:00"


def write_lundy(register_rng: random.Random, rng: random.Random, db: Path, areas: list[Area] | None = None) -> Path:
    """Synthetic Lundy self-assessment answers for the demo's register, in the side file beside the
    demo database (replacing any earlier one: the demo is rebuilt whole). `register_rng` must be a
    fresh copy of the stream write_activities used, so the activity ids match."""
    import json
    from dataclasses import asdict

    from dashboard.demo.places import focus_areas
    from dashboard.statement import lundy, sidefile

    lines = []
    for area in areas or focus_areas():
        for row in activity_rows(register_rng, area):
            _, answers = PROFILES[rng.randrange(len(PROFILES))]
            for element in lundy.elements():
                if element.id not in answers:
                    continue
                for q in element.questions:
                    entry = sidefile.Entry("lundy", area.code, f"{row[0]}/{q.id}", answers[element.id], "",
                                           ANSWERED_BY, ANSWERED_AT)
                    lines.append(json.dumps(asdict(entry), ensure_ascii=False))
    target = sidefile.path_for(db)
    partial = target.with_name(target.name + ".partial")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    partial.replace(target)
    return target
