"""The statement's words: the full statement (sections A and B, the review of last year) and the
child-friendly version, each as a Document (dashboard.statement.document) from the gathered Facts.

A figure the disclosure gate hid is written as "not shown" with the reason in words, never as a
number; the child-friendly version uses only figures on enough answers (young_inspectors.usable)
and writes them in words ("about eight in ten"), never as a number.
"""
from __future__ import annotations

import polars as pl

from dashboard import pn_codes
from dashboard.catalogue import default_catalogue
from dashboard.statement import register
from dashboard.statement.document import Big, Bullets, Document, Heading, Para, SaidDid, Table
from dashboard.statement.facts import Facts, Figure, Point
from dashboard.ui import young_inspectors as yi
from dashboard.vocabulary import Classification

HIDDEN = "not shown (too few to publish safely)"
STATUS_WORDS = {"planned": "Planned", "in_progress": "In progress", "done": "Done", "not_possible": "Not possible"}
SYNTHETIC_NOTE = ("SYNTHETIC DEMO DATA: everything in this statement is invented for demonstration. "
                  "No real children, families or workers. Do not quote it as evidence.")
NOT_WRITTEN = "[Not written yet: an admin writes this on the Statement page of the dashboard.]"
MONITORING_DEFAULT = (
    "Managers check every assessment and every case closure for evidence that the child's voice, wishes and "
    "feelings were heard and responded to (return 2a). Independent reviewing officers record how each child "
    "took part in their review (return 2b). Every three months workers record whether they sought, discussed "
    "and recorded each child's feedback on the work (return 2c), and feedback forms after direct work record "
    "whether the answers were talked about with the person.")


def pct(value: float | None) -> str:
    return HIDDEN if value is None else f"{value:.0f}%"


def figure_text(f: Figure) -> str:
    if f.value is None:
        return HIDDEN
    low = " (low base: read with care)" if f.low_base else ""
    return f"{f.value:.0f}% of {f.base:,}{low}"


def trend_text(points: list[Point]) -> str:
    return "; ".join(f"{p.year}: {pct(p.value)}" for p in points) or "no earlier years"


def _told(rec: dict) -> str:
    return rec["told_children_on"].isoformat() if rec["told_children_on"] else "not yet"


def _text(facts: Facts, key: str, default: str = NOT_WRITTEN) -> str:
    return (facts.la_text.get(key) or "").strip() or default


# -- the full statement -------------------------------------------------------------------------
def statement(facts: Facts) -> Document:
    doc = Document(f"How we listen and respond to children and young people: {facts.la_name}, {facts.year}",
                   facts.la_name, facts.year, child_friendly=False, synthetic=facts.synthetic)
    period = f"1 April {facts.year - 1} to 31 March {facts.year}"
    if facts.synthetic:
        doc.add(Para(SYNTHETIC_NOTE))
    doc.add(Para(f"{facts.la_name}'s annual statement for the year {period} (recommended national voice data set, "
                 "data set 1a). A child-friendly version is published alongside it."),
            Heading("Introduction"), Para(_text(facts, "introduction")))
    _section_a(doc, facts)
    _section_b(doc, facts)
    _review(doc, facts)
    _findings(doc, facts)
    doc.add(Heading("Our commitments for the coming year"), Para(_text(facts, "commitments")))
    doc.add(Heading("About the figures", 3),
            Para("Every figure here passed the dashboard's disclosure control: a figure on fewer than 10 answers, "
                 "or a count of 1 to 5 people, is not shown, and other figures are hidden where they would let a "
                 "hidden one be worked out. Bases of 10 to 29 are marked as a low base. Years are reporting years "
                 "ending 31 March.", note=True))
    return doc


def _section_a(doc: Document, facts: Facts) -> None:
    doc.add(Heading("A. Children's voice in the work with them"),
            Para("How we check that children's voice is part of the individual work with them, and how we seek "
                 "their feedback on that work."))
    if facts.section_a:
        rows = tuple((f.title, figure_text(f), trend_text(points)) for f, points in facts.section_a)
        doc.add(Table(("Measure", f"{facts.year}", "Trend (each year)"), rows,
                      f"Returns 2a and 2c and feedback sought and discussed, {facts.la_name}, {facts.year}."))
    else:
        doc.add(Para("No voice checks or feedback forms are loaded for this year."))
    if facts.pn_codes:
        doc.add(Table(("How children took part in their reviews (return 2b, recommended PN codes)", "Share of reviews"),
                      tuple((_pn(f.category), pct(f.value)) for f in facts.pn_codes),
                      f"Return 2b: share of reviews in {facts.year} with each participation code."))
    doc.add(Heading("How practice is monitored", 3), Para(_text(facts, "monitoring", MONITORING_DEFAULT)))


def _section_b(doc: Document, facts: Facts) -> None:
    doc.add(Heading("B. Children and young people taking part in council activity"),
            Para("The ways we listen, from our register: who is asked, how often, what happens to what they say "
                 "and how they hear back."))
    if not facts.activities:
        doc.add(Para("No activities are recorded in the register for this year "
                     "(load them with: voice-dashboard load voice-activities FILE)."))
        return
    loops = {l.activity.activity_id: l for l in facts.loops}
    rows = []
    for a in facts.activities:
        loop = loops[a.activity_id]
        acted = (f"{loop.actions} action(s); children told about {loop.told}" if loop.actions
                 else "no action recorded")
        lundy_text = facts.assessments[a.activity_id].summary if a.activity_id in facts.assessments else ""
        rows.append((a.activity, register.KIND_LABELS[a.kind],
                     ", ".join(register.COHORT_LABELS[c] for c in a.cohorts) + f" ({a.ages})",
                     register.OFTEN_LABELS[a.how_often], a.findings_used or "not recorded",
                     a.hear_back or "not recorded", acted, lundy_text))
    doc.add(Table(("Activity", "Kind", "Who", "How often", "How findings are used", "How children hear back",
                   "What it led to", "Lundy self-assessment"), tuple(rows),
                  f"The ways {facts.la_name} listens, active between {facts.first_day:%d %B %Y} and {facts.last_day:%d %B %Y}."))
    for title, kinds in (("Young inspectors", {"audit"}), ("Recruitment panels", {"interview_panel"})):
        picked = [a for a in facts.activities if a.kind in kinds
                  and (title != "Young inspectors" or "inspect" in a.activity.lower() or a.action_source == "young_inspectors")]
        doc.add(Heading(title, 3))
        doc.add(Bullets(tuple(f"{a.activity}: {register.OFTEN_LABELS[a.how_often]}; {a.findings_used or 'use of findings not recorded'}."
                              for a in picked)) if picked else Para(f"No {title.lower()} are recorded in the register for this year."))


def _review(doc: Document, facts: Facts) -> None:
    doc.add(Heading(f"What we did about what we heard last year ({facts.year - 1})"))
    if not facts.earlier_actions:
        doc.add(Para("This is our first statement: the review of last year's actions starts next year."))
        return
    last = facts.actions_last_year
    if last.height == 0:
        doc.add(Para(f"No actions were raised in {facts.year - 1}."))
        return
    counts = {s: last.filter(pl.col("status") == s).height for s in STATUS_WORDS}
    doc.add(Para("Of the " + f"{last.height} actions raised last year: " + ", ".join(
        f"{n} {STATUS_WORDS[s].lower()}" for s, n in counts.items() if n) + "."))
    rows = tuple((r["we_heard"], STATUS_WORDS[r["status"]],
                  (r["we_did"] or "") if r["status"] != "not_possible" else f"Not possible: {r['reason']}",
                  _told(r)) for r in last.sort("raised_on").iter_rows(named=True))
    doc.add(Table(("We heard", "Status", "What we did (or why it was not possible)", "Children told on"), rows,
                  f"Actions raised between 1 April {facts.year - 2} and 31 March {facts.year - 1}."))


def _findings(doc: Document, facts: Facts) -> None:
    doc.add(Heading("What children and young people told us, and what changed"))
    if facts.survey_wave is None:
        doc.add(Para("No Bright Spots survey is loaded for this year or the three before it."))
    else:
        shown = [f for f in facts.survey if f.value is not None]
        hidden = len(facts.survey) - len(shown)
        changed = [f for f in shown if f.change_significant and f.previous_value is not None]
        doc.add(Para(f"From the Bright Spots survey of {facts.survey_wave}: {len(shown)} figures published"
                     + (f"; {hidden} not shown because too few answered." if hidden else ".")))
        for title, cls in (("Bright spots", Classification.BRIGHT_SPOT), ("Areas to look at", Classification.AREA_TO_LOOK_AT)):
            picked = [f for f in shown if f.classification == cls]
            if picked:
                doc.add(Heading(title, 3), Bullets(tuple(
                    f"{f.title} ({_cohort(f.cohort)}): {f.value:.0f}%" for f in picked)))
        doc.add(Heading("What changed since the last survey", 3))
        doc.add(Bullets(tuple(f"{f.title} ({_cohort(f.cohort)}): {'up' if f.value > f.previous_value else 'down'} from "
                              f"{f.previous_value:.0f}% to {f.value:.0f}%" for f in changed))
                if changed else Para("No clear change since the last survey (none beyond what chance could explain)."))
    this = facts.actions_this_year
    doc.add(Heading(f"You said, we did ({facts.year})", 3))
    if this.height:
        doc.add(Table(("You said", "We did", "Status", "Children told on"),
                      tuple((r["we_heard"], r["we_did"] or "", STATUS_WORDS[r["status"]], _told(r))
                            for r in this.sort("raised_on").iter_rows(named=True)),
                      f"Actions raised in the year to 31 March {facts.year}."))
    else:
        doc.add(Para("No actions are recorded for this year."))


def _pn(code: str) -> str:
    meaning = pn_codes.RECOMMENDED.get(code)
    return f"{code}: {meaning}" if meaning else code


def _cohort(code: str) -> str:
    return {"children_in_care": "children in care", "care_leavers": "care leavers"}.get(code, code.replace("_", " "))


# -- the child-friendly version -----------------------------------------------------------------
KIND_WORDS = {
    "survey": "We ask you questions in a survey.",
    "group": "You can join a group that meets to talk with us.",
    "forum": "You can come to a meeting where young people talk with us.",
    "advocacy": "Someone on your side can help you say what you want.",
    "complaints": "You can tell us when something is wrong.",
    "feedback_form": "Your worker asks what you think of their help.",
    "audit": "Young people check our services and tell us what to fix.",
    "interview_panel": "Young people help us choose new staff.",
    "other": "We listen to you in other ways too.",
}
OFTEN_WORDS = {"once": "This happens once.", "weekly": "This happens every week.",
               "fortnightly": "This happens every two weeks.", "monthly": "This happens every month.",
               "termly": "This happens every school term.", "quarterly": "This happens four times a year.",
               "twice_yearly": "This happens twice a year.", "yearly": "This happens once a year.",
               "ongoing": "You can do this at any time."}
CF_INTRO = ("This is for children and young people. It tells you how we listen to you. "
            "It tells you what you said to us. It tells you what we did about it.")
CF_HIDDEN = "We only share an answer when lots of young people gave it. This keeps everyone private."
CF_NOTHING_YET = "We have not written down any changes yet. We will tell you when we do."
CF_TELL_US = ("Do you want to tell us something? Talk to your worker or your carer. "
              "You can also ask for someone on your side to help you.")
CF_WORKER_HEADING = "Did your worker listen to you?"
CF_WAYS_HEADING = "How we listen to you"
CF_SAID_HEADING = "What you told us"
CF_DID_HEADING = "You said, we did"
CF_PROMISE_HEADING = "What we promise to do next"
CF_PROMISE_DEFAULT = "We will keep listening to you. We will tell you what we did about it."
CF_NOT_DONE = "We could not do this"
CF_TILES = 3
# The worker measures in words (the catalogue's child-friendly titles speak to one child).
CF_WORKER = {
    "return_2a_voice_heard_assessment": "When workers got to know a child, they listened to what the child wanted.",
    "return_2a_voice_heard_closure": "When the work with a family ended, workers had listened to what the child wanted.",
    "return_2c_feedback_sought": "Workers asked children what they thought of their help, and talked about it.",
    "feedback_sought_and_discussed": "When someone told their worker what they thought, they talked about it together.",
}


def times_words(value: float) -> str:
    """How often, in words: 'This happened about eight times in ten.'"""
    if value >= 95:
        return "This happened nearly every time."
    if value < 5:
        return "This hardly ever happened."
    return f"This happened about {yi.number_word(yi.tenths(value))} times in ten."


def child_friendly(facts: Facts) -> Document:
    doc = Document(f"How we listen to you: {facts.la_name}, {facts.year}", facts.la_name, facts.year,
                   child_friendly=True, synthetic=facts.synthetic)
    if facts.synthetic:
        doc.add(Para("This is made up to show how it works. It is not about real children."))
    own = (facts.la_text.get("child_friendly_intro") or "").strip()
    doc.add(Para(CF_INTRO))
    if own:
        doc.add(Para(own, by_la=True))
    doc.add(Heading(CF_WAYS_HEADING))
    kinds = []
    for a in facts.activities:
        if a.kind not in kinds:
            kinds.append(a.kind)
    doc.add(Bullets(tuple(f"{KIND_WORDS[k]} {OFTEN_WORDS[_most_often(facts, k)]}" for k in kinds))
            if kinds else Para("We are still writing down all the ways we listen."))

    doc.add(Heading(CF_WORKER_HEADING))
    worker = [f for f, _ in facts.section_a if _usable(f) and f.indicator_id in CF_WORKER]
    for f in worker:
        doc.add(Big(CF_WORKER[f.indicator_id], yi.dots(f.value), times_words(f.value)))
    if not worker:
        doc.add(Para(CF_HIDDEN))

    doc.add(Heading(CF_SAID_HEADING))
    shared, not_shown = False, []
    for cohort, who in yi.WHO.items():
        mine = [_tile_row(f) for f in facts.survey if f.cohort == cohort]
        tiles, hidden = yi.tiles(pl.DataFrame(mine), default_catalogue()) if mine else ([], [])
        not_shown += hidden
        good = [t for t in tiles if t.section == yi.GOING_WELL][:CF_TILES]
        better = [t for t in tiles if t.section == yi.GET_BETTER][:CF_TILES]
        if not (good or better):
            continue
        shared = True
        doc.add(Heading(f"What {who} told us", 3))
        for heading, picked in ((yi.HEADINGS[yi.GOING_WELL], good), (yi.HEADINGS[yi.GET_BETTER], better)):
            if picked:
                doc.add(Para(heading + ":"))
                doc.add(*(Big(t.sentence, t.dots, t.in_ten or "") for t in picked))
    if not shared:
        doc.add(Para("We do not have enough answers from the survey to share yet."))
    if not_shown or not worker:
        doc.add(Para(CF_HIDDEN, note=True))

    doc.add(Heading(CF_DID_HEADING))
    actions = pl.concat([facts.actions_last_year, facts.actions_this_year]) if facts.actions_this_year.height or facts.actions_last_year.height else facts.actions_this_year
    pairs = yi.changes(actions) if actions.height else []
    for said, did in pairs:
        doc.add(SaidDid(said, did))
    for r in (actions.filter(pl.col("status") == "not_possible").iter_rows(named=True) if actions.height else []):
        doc.add(SaidDid(f"You said: {r['we_heard']}", f"{CF_NOT_DONE}. This is why: {r['reason']}"))
    if not pairs:
        doc.add(Para(CF_NOTHING_YET))
    promise = (facts.la_text.get("commitments_child") or "").strip()
    doc.add(Heading(CF_PROMISE_HEADING), Para(promise, by_la=True) if promise else Para(CF_PROMISE_DEFAULT))
    doc.add(Heading("Tell us what you think"), Para(CF_TELL_US))
    return doc


def _most_often(facts: Facts, kind: str) -> str:
    order = list(OFTEN_WORDS)
    found = [a.how_often for a in facts.activities if a.kind == kind]
    return min(found, key=lambda o: order.index(o) if o != "ongoing" else -1)


def _usable(f: Figure) -> bool:
    return f.value is not None and f.base is not None and f.base >= yi.MIN_BASE and not f.low_base


def _tile_row(f: Figure) -> dict:
    """A survey Figure as the young inspectors' tiles read figure rows (whole group, published)."""
    ind = default_catalogue().by_id()[f.indicator_id]
    return {"indicator_id": f.indicator_id, "source": "survey", "breakdown": "", "group": "all", "category": "",
            "unit": ind.unit, "polarity": ind.polarity, "status": f.status, "value": f.value, "base": f.base,
            "low_base": f.low_base, "classification": f.classification or "", "domain": ind.domain,
            "cohort": f.cohort}


def own_words() -> str:
    """The child-friendly version's own fixed words (everything but the LA's text and names), for
    the readability test."""
    return " ".join([CF_INTRO, *CF_WORKER.values(), *(times_words(v) for v in (3, 50, 97)), CF_HIDDEN, CF_NOTHING_YET, CF_TELL_US, CF_WORKER_HEADING, CF_WAYS_HEADING,
                     CF_SAID_HEADING, CF_DID_HEADING, CF_PROMISE_HEADING, CF_PROMISE_DEFAULT, CF_NOT_DONE + ".",
                     *KIND_WORDS.values(), *OFTEN_WORDS.values()])
