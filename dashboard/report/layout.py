"""The report as a sequence of sections and blocks, the same for HTML and PDF, so both say exactly
the same thing. Blocks: ("p", text), ("summary", text), ("h3", text), ("h4", text), ("list", [text]),
("chart", Chart, figure number, table number), ("table", frame, caption, table number),
("legend", [(code, meaning)]), ("dl", [(term, explanation)]). Text may mark bold with **...**.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from dashboard.report import charts, methods, tables
from dashboard.report.content import Report
from dashboard.vocabulary import Classification

Block = tuple


@dataclass
class Section:
    anchor: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    css: str = ""
    new_page: bool = False


@dataclass
class Layout:
    report: Report
    intro: list[str]
    sections: list[Section]
    footer: str
    charts: list[charts.Chart]
    title: str = ""            # the document's title (the report's own when empty)

    @property
    def heading(self) -> str:
        return self.title or self.report.title


def _when(report: Report) -> str:
    return f"{report.generated.day} {report.generated:%B %Y} at {report.generated:%H:%M}"


def _compact(frame):
    """The table without columns that are empty in every row (the first column always stays)."""
    keep = [c for i, c in enumerate(frame.columns) if i == 0 or frame[c].str.len_chars().max() not in (None, 0)]
    return frame.select(keep)


class _Numbers:
    def __init__(self) -> None:
        self.figure = 0
        self.table = 0

    def next_figure(self) -> int:
        self.figure += 1
        return self.figure

    def next_table(self) -> int:
        self.table += 1
        return self.table


def lay_out(report: Report, progress: Callable[[str, float], None] | None = None) -> Layout:
    say = progress or (lambda message, fraction: None)
    n = _Numbers()
    drawn: list[charts.Chart] = []
    la, wave = report.la_name, report.wave

    def chart_with_table(chart: charts.Chart | None, frame, table_caption: str, blocks: list) -> None:
        if chart is not None:
            drawn.append(chart)
            f, t = n.next_figure(), n.next_table()
            blocks.append(("chart", chart, f, t))
            blocks.append(("table", frame, f"{table_caption} (the figures in figure {f}).", t))
        elif frame.height:
            blocks.append(("table", frame, table_caption + ".", n.next_table()))

    intro = [
        f"What {report.who_text} in {la} told us in {wave}, beside the Department for Education's statistics, "
        "and what was done about it. All ages together.",
        f"Made on {_when(report)} by voice-dashboard. Every figure about children has "
        "passed disclosure control: a hidden figure reads c.",
    ]
    if not report.survey_in_wave:
        intro.append(f"There is no Bright Spots survey for {la} in {wave}: the survey figures are missing from this "
                     "report; choose a survey year to see them.")

    sections: list[Section] = []

    # 1. Headline findings, domain by domain.
    say("Writing the headline findings", 0.6)
    head = Section("headline", "Headline findings", new_page=False)
    head.blocks.append(("p", "For each domain of the Bright Spots Well-being Framework: the bright spots (the "
                             "whole 95% interval is better than the comparison) and the areas to look at (the "
                             "whole interval is worse). These are prompts for questions and learning, not scores, "
                             "and other local authorities are never named or ranked."))
    for d in report.domains:
        head.blocks.append(("h3", d.title))
        head.blocks.append(("summary", d.summary()))
        bright, look = d.with_reading(Classification.BRIGHT_SPOT), d.with_reading(Classification.AREA_TO_LOOK_AT)
        head.blocks.append(("h4", "Bright spots"))
        head.blocks.append(("list", [f.headline() for f in bright] or ["None this time."]))
        head.blocks.append(("h4", "Areas to look at"))
        head.blocks.append(("list", [f.headline() for f in look] or ["None this time."]))
        if d.actions:
            done = sum(1 for a in d.actions if a.status == "done")
            head.blocks.append(("p", f"You said, we did: {len(d.actions)} action{'s' if len(d.actions) != 1 else ''} "
                                     f"on this domain, {done} done (see the domain's page)."))
    head.blocks.append(("p", "Status codes: " + "; ".join(f"**{c}** {m}" for c, m in methods.status_legend()) + "."))
    sections.append(head)

    # 2. You said, we did: the whole picture.
    say("Drawing the charts", 0.65)
    acts = Section("you-said-we-did", "You said, we did", css="page", new_page=True)
    all_actions = report.actions
    if all_actions:
        acts.blocks.append(("p", f"Every action {la} has recorded in response to what children and young people "
                                 "said, with where it stands today. Actions about a domain are listed on that "
                                 "domain's page; the others are below."))
        chart_with_table(charts.actions_chart(all_actions, la), tables.status_counts(all_actions),
                         "Actions by status", acts.blocks)
        if report.other_actions:
            acts.blocks.append(("h3", "Actions on other things children told us"))
            acts.blocks.append(("table", tables.actions_table(report.other_actions),
                                "Actions not linked to a domain's measure", n.next_table()))
    else:
        acts.blocks.append(("p", f"No 'you said, we did' actions are loaded for {la}. Voice without action is "
                                 "unethical: record what was done about what children said with "
                                 "'voice-dashboard load actions FILE'."))
    sections.append(acts)

    # 3. One page per domain: figures, DfE measures beside it, actions on it.
    for i, d in enumerate(report.domains):
        say(f"Drawing the charts: {d.title}", 0.65 + 0.25 * (i + 1) / len(report.domains))
        sec = Section(f"domain-{d.id}", d.title, css="domain", new_page=True)
        sec.blocks.append(("p", d.description))
        sec.blocks.append(("summary", d.summary()))
        if d.figures:
            chart_with_table(charts.figures_chart(d, la, wave), tables.figures_table(d.figures),
                             f"{d.title}: {la}'s figures, {wave}", sec.blocks)
        else:
            sec.blocks.append(("p", f"No survey or record figures for this domain for {la} in {wave}."))
        if d.dfe:
            sec.blocks.append(("h3", "DfE measures beside this domain"))
            latest = tables.figures_table([m.figure for m in d.dfe]).drop("Who")
            sec.blocks.append(("table", latest, f"{d.title}: the latest DfE figures for {la}", n.next_table()))
            chart_with_table(charts.dfe_chart(d, la), tables.dfe_table(d.dfe, la),
                             f"{d.title}: DfE measures by year", sec.blocks)
        if d.actions:
            sec.blocks.append(("h3", "You said, we did"))
            sec.blocks.append(("table", tables.actions_table(d.actions),
                               f"{d.title}: what children told us and what was done", n.next_table()))
        sections.append(sec)

    # 4. How to read it: rules, legend, methods.
    read = Section("how-to-read", "How to read this report", css="page", new_page=True)
    read.blocks.append(("h3", "Keeping children's information private"))
    read.blocks.append(("list", methods.disclosure_rules()))
    read.blocks.append(("legend", methods.status_legend()))
    read.blocks.append(("h3", "How the figures are worked out"))
    read.blocks.append(("dl", methods.how_figures_are_computed()))
    sections.append(read)

    # 5. Where it comes from.
    src = Section("sources", "Data sources", new_page=False)
    src.blocks.append(("p", f"Made on {_when(report)} from the files below (the full load "
                            "history, file by file, is on the dashboard's Data and methods page). Bright Spots "
                            "survey: Coram Voice and the Rees Centre, University of Oxford, Bright Spots "
                            "Well-being Framework (2023). DfE statistics: Department for Education, explore "
                            "education statistics, Open Government Licence v3.0."))
    src.blocks.append(("table", tables.sources_table(report), "Data loaded, by kind", n.next_table()))
    if report.dfe_files:
        src.blocks.append(("table", tables.dfe_files_table(report), "DfE files loaded", n.next_table()))
    sections.append(src)

    for sec in sections:
        sec.blocks = [(b[0], _compact(b[1]), *b[2:]) if b[0] == "table" else b for b in sec.blocks]
    footer = (f"{report.title}. Made {_when(report)} by voice-dashboard."
              + (" SYNTHETIC DEMO DATA: not real children." if report.synthetic else ""))
    return Layout(report=report, intro=intro, sections=sections, footer=footer, charts=drawn)
