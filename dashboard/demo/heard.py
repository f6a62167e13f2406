"""Synthetic "you said, we did" actions (spec 3.6) and themes from participation work (3.7).

Actions answer each LA's weakest survey findings (from the same model that made the survey
answers) and some themes; a few findings have no action yet, and one LA has none at all.
The consented quotes carry no names, places, schools or streets; some quotes were given without
consent to quote them (the loader does not store those).
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from dashboard.demo.places import Area
from dashboard.demo.records import LAST_DAY, _day, _write, weighted
from dashboard.demo.survey import SurveyModel

ACTION_COLUMNS = ["action_id", "la_code", "raised_on", "source", "indicator_id", "theme", "we_heard",
                  "we_did", "status", "reason", "told_children_on", "owner", "cohort"]
THEME_COLUMNS = ["record_id", "la_code", "date", "source", "cohort", "theme", "quote", "quote_consent"]
NO_ACTIONS_YET = {"302"}     # this LA has recorded no action yet

# indicator -> (what we heard, what we did, who owns it)
INDICATOR_ACTIONS = {
    "see_siblings": ("Many of you told us you do not see your brothers and sisters as often as you want.",
                     "Every care plan now records how often brothers and sisters will meet, and we fund travel for it.",
                     "Head of Service, Children in Care"),
    "see_mum": ("Some of you want to see your mum more, or at better times.",
                "Family time can now be booked at weekends and after lessons, not only in office hours.",
                "Family Time Service Manager"),
    "see_dad": ("Some of you want to see your dad more, or to know why you cannot.",
                "Social workers now explain each family time plan to you and write it down in words you chose.",
                "Family Time Service Manager"),
    "worker_stability": ("You told us you have had too many social workers.",
                         "We kept the same worker for children in stable homes and cut agency use in two teams.",
                         "Principal Social Worker"),
    "easy_contact_worker": ("It is hard to get hold of your social worker.",
                            "Every child now has a duty number and a promise of a call back within one working day.",
                            "Head of Service, Children in Care"),
    "reason_for_care_explained": ("Some of you do not know why you are in care.",
                                  "Life story work is offered to every child, with a book or video you keep.",
                                  "Head of Service, Children in Care"),
    "involved_in_decisions": ("You want more say in decisions about your life.",
                              "Children now chair part of their own review if they want to.",
                              "Independent Reviewing Service Manager"),
    "speak_to_worker_alone": ("Some of you never get to talk to your worker on your own.",
                              "Workers now offer time alone at every visit and record if it did not happen and why.",
                              "Practice Standards Lead"),
    "talk_to_carers": ("Some of you find it hard to talk to your carers about things that matter.",
                       "Carers had training on listening, designed with the children in care council.",
                       "Head of Fostering"),
    "like_bedroom": ("Some of you do not like your bedroom.",
                     "Every child can choose paint and bedding when they move in, from a new budget.",
                     "Head of Fostering"),
    "internet_access": ("Not everyone has good internet where they live.",
                        "Every care leaver is offered a data bundle and a laptop.",
                        "Leaving Care Service Manager"),
    "coping_financially": ("Care leavers told us money runs out before the end of the month.",
                           "The setting-up-home allowance went up and council tax is no longer charged to care leavers.",
                           "Leaving Care Service Manager"),
    "not_lonely": ("Many care leavers feel lonely.",
                   "A weekly drop-in and a mentoring scheme started with the care leavers forum.",
                   "Participation Lead"),
    "no_worries_feelings": ("Many of you worry about your feelings and do not know who to ask.",
                            "A children in care wellbeing worker now visits every secondary-age child who asks.",
                            "Head of Service, Children in Care"),
    "happy_with_looks": ("Some of you are unhappy with how you look.",
                         "Carers and workers were given a guide on body image written with young people.",
                         "Participation Lead"),
    "positive_future": ("Some of you do not feel positive about your future.",
                        "Every young person aged 15 or over now has a future plan meeting with a mentor.",
                        "Virtual School Head"),
    "life_skills": ("You want to learn more skills for living on your own.",
                    "A cooking and budgeting course runs every holiday for young people aged 15 to 17.",
                    "Leaving Care Service Manager"),
    "feel_settled": ("Some of you do not feel settled where you live.",
                     "Moves now need a senior manager's agreement and a talk with the child first.",
                     "Head of Service, Children in Care"),
    "not_afraid_bullying": ("Some of you are afraid of being bullied.",
                            "The virtual school now checks on bullying at every personal education plan meeting.",
                            "Virtual School Head"),
}

# theme -> (cohort, source, quotes). Quotes are invented; the first ones carry no names or places.
THEMES = {
    "contact with family": ("child_in_care", "children_in_care_council",
                            ["I want to see my brother more than once a month.",
                             "I only see my sister in a contact centre and it feels weird.",
                             "I would like to ring my nan whenever I want."]),
    "changing social workers": ("child_in_care", "young_inspectors",
                                ["I have had four social workers this year and I stopped telling them things.",
                                 "Every new worker asks the same questions again."]),
    "being listened to": ("child_in_care", "advocacy",
                          ["When they listened to me my move went better.",
                           "I said what I wanted at my review and it happened."]),
    "money and housing": ("care_leaver", "care_leavers_forum",
                          ["Money runs out before the end of the month.",
                           "My flat is cold and the heating costs too much.",
                           "I had to choose between food and credit for my phone."]),
    "loneliness": ("care_leaver", "care_leavers_forum",
                   ["Since I moved out nobody checks if I am okay.",
                    "Weekends are the worst, there is nobody to talk to."]),
    "mental health support": ("care_leaver", "participation",
                              ["I waited a year to talk to someone about how I feel.",
                               "Turning eighteen meant starting all over again with a new service."]),
    "knowing my story": ("child_in_care", "children_in_care_council",
                         ["Nobody has ever told me why I came into care.",
                          "My life story book helped me understand."]),
    "having a say in plans": ("child_in_need", "feedback",
                              ["They asked what I thought before the plan was made.",
                               "The meeting was all adults talking about me."]),
    "feeling safe": ("child_protection", "advocacy",
                     ["I feel safer now that there is a plan.",
                      "I did not know who to tell when things got bad at home."]),
    "help for parents": ("parent_carer", "feedback",
                         ["The worker explained why they were worried and that helped.",
                          "We got help quicker than we expected.",
                          "Nobody told us what happens after the meeting."]),
    "hobbies and clubs": ("child_in_care", "young_inspectors",
                          ["I want to do football every week like my friends.",
                           "Getting permission for a sleepover takes too long."]),
    "early help": ("early_help", "feedback",
                   ["The family worker made things calmer at home.",
                    "We wanted help sooner, before things got so hard."]),
}
# Quotes given without consent to quote them: they may mention people, and are never shown.
UNCONSENTED = ["My worker Jo never rings me back.", "At Oakfield Road the staff shout at us.",
               "I told Mr Patel but nothing changed."]
NOT_POSSIBLE = ["The budget for this was cut this year; we will ask again in the next budget round.",
                "The law does not allow this, but we explained why to the children in care council.",
                "The provider closed; we are looking for another one."]


# Whose views each survey action answers: both surveys ask some of these questions (internet
# access, worker changes), and an action written for one group is not the other's.
ACTION_COHORT = {q: "care_leavers" if owner == "Leaving Care Service Manager" and q != "life_skills"
                 or q == "not_lonely" else "children_in_care"
                 for q, (_, _, owner) in INDICATOR_ACTIONS.items()}


def action_rows(rng: random.Random, area: Area, model: SurveyModel) -> list[tuple]:
    if area.old in NO_ACTIONS_YET:
        return []
    weakest = sorted(INDICATOR_ACTIONS, key=lambda q: (model.la_question[(area.old, q)], q))
    # The weakest findings get actions, but not all of them yet.
    chosen = [q for q in weakest[:6] if rng.random() < 0.75]
    themes = rng.sample(sorted(THEMES), 2)
    rows = []
    for q in chosen:
        heard, did, owner = INDICATOR_ACTIONS[q]
        rows.append(("bright_spots", q, "", heard, did, owner, ACTION_COHORT[q]))
    for t in themes:
        cohort, source, _ = THEMES[t]
        rows.append((source, "", t, f"Children and young people raised '{t}' at our {source.replace('_', ' ')}.",
                     "We agreed a change with them and report back at the next meeting.", "Participation Lead", ""))
    out = []
    for i, (source, indicator, theme, heard, did, owner, whose) in enumerate(rows, 1):
        raised = _day(rng, date(2023, 4, 1), date(2025, 6, 30))
        status = weighted(rng, [("done", 0.45), ("in_progress", 0.3), ("planned", 0.15), ("not_possible", 0.1)])
        reason = rng.choice(NOT_POSSIBLE) if status == "not_possible" else ""
        told = ""
        told_p = {"done": 0.8, "in_progress": 0.3, "planned": 0.0, "not_possible": 0.7}[status]
        if rng.random() < told_p:
            told_on = raised + timedelta(days=rng.randint(14, 200))
            told = min(told_on, LAST_DAY).isoformat()
        out.append((f"YSWD-{area.old}-{i:03d}", area.code, raised.isoformat(), source, indicator, theme, heard,
                    did if status != "planned" else "", status, reason, told, owner, whose))
    return out


def write_actions(rng: random.Random, areas: list[Area], model: SurveyModel, folder: Path) -> list[Path]:
    rows = [r for a in areas for r in action_rows(rng, a, model)]
    return [_write(folder / "SYNTHETIC_you_said_we_did.csv", ACTION_COLUMNS, rows)]


# Where else a theme is heard: the same theme comes up through several routes and groups, as it
# does in real participation work (and a theme tied to one source and one cohort would make every
# breakdown a copy of the theme's total, so disclosure control would have to hide almost all of it).
OTHER_SOURCES = ["children_in_care_council", "young_inspectors", "advocacy", "care_leavers_forum",
                 "participation", "feedback", "complaints"]
OTHER_COHORTS = {"child_in_care": ["care_leaver"], "care_leaver": ["child_in_care"],
                 "child_in_need": ["child_protection", "parent_carer"], "child_protection": ["child_in_need", "parent_carer"],
                 "parent_carer": ["child_in_need", "early_help"], "early_help": ["parent_carer"]}


def theme_rows(rng: random.Random, area: Area) -> list[tuple]:
    out = []
    n = max(120, area.cla // 3)
    names = sorted(THEMES)
    for i in range(1, n + 1):
        theme = rng.choice(names)
        cohort, source, quotes = THEMES[theme]
        if rng.random() < 0.45:
            source = rng.choice(OTHER_SOURCES)
        moved = rng.random() < 0.3
        if moved:
            cohort = rng.choice(OTHER_COHORTS[cohort])
        when = _day(rng, date(2023, 6, 1), LAST_DAY)
        r = rng.random()
        if r < 0.35:
            quote, consent = "", ""             # a theme noted without a quote
        elif r < 0.8:
            quote, consent = rng.choice(quotes), "yes"
        elif r < 0.9:
            quote, consent = rng.choice(quotes), "no"
        else:
            quote, consent = rng.choice(UNCONSENTED), "no"
        if moved and quote:
            # The quotes are written in one group's voice (a care leaver's flat, a parent's family
            # worker): another group raising the theme says it in its own words, not these.
            quote, consent = "", ""
        out.append((when.isoformat(), area.code, source, cohort, theme, quote, consent))
    out.sort()
    return [(f"TH{area.old}-{i:04d}", r[1], r[0], *r[2:]) for i, r in enumerate(out, 1)]


def write_themes(rng: random.Random, areas: list[Area], folder: Path) -> list[Path]:
    rows = [r for a in areas for r in theme_rows(rng, a)]
    return [_write(folder / "SYNTHETIC_themes.csv", THEME_COLUMNS, rows)]
