"""The panel brief: 2 to 4 A4 pages a councillor will read before the corporate parenting panel,
with the full report after it as an appendix.

In brief: the headline bright spots and areas to look at (dashboard.report.findings: the same
count as the Overview), what changed clearly since the last wave, the DfE context, what was done
and what children were told, and two or three consented quotes. Made from the same gathered
Report as the full report, so the two can never disagree.
"""
from __future__ import annotations

from dashboard.report import methods
from dashboard.report.content import Figure, Report
from dashboard.report.findings import BRIGHT, LOOK
from dashboard.report.layout import Layout, Section, _compact, _when, lay_out

MOST_LISTED = 6       # findings, changes and actions listed in the brief (the rest are in the appendix)
QUOTES = 3


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _figures(report: Report) -> list[Figure]:
    return [f for d in report.domains for f in d.all_figures()]


def _by_size(figures: list[Figure]) -> list[Figure]:
    """Largest gap from the comparison first (the clearest findings lead)."""
    return sorted(figures, key=lambda f: -abs((f.value or 0) - (f.comparator or 0)))


def _listed(items: list[str], total: int, what: str) -> list[str]:
    if total > len(items):
        items = items + [f"... and {total - len(items)} more {what}: see the appendix."]
    return items


def brief_sections(report: Report) -> list[Section]:
    la, wave = report.la_name, report.wave
    figures = _figures(report)
    bright = _by_size([f for f in figures if f.reading == BRIGHT])
    look = _by_size([f for f in figures if f.reading == LOOK])

    head = Section("brief", "In brief")
    head.blocks.append(("summary", f"{_plural(len(bright), 'bright spot')} and {_plural(len(look), 'area')} to look "
                                   f"at for {report.who_text} in {la}, {wave} (survey, record measures and DfE "
                                   "statistics). The same count as the dashboard's Overview."))
    head.blocks.append(("h3", "Areas to look at"))
    head.blocks.append(("list", _listed([f.headline() for f in look[:MOST_LISTED]], len(look), "areas to look at")
                        or ["None this time."]))
    head.blocks.append(("h3", "Bright spots"))
    head.blocks.append(("list", _listed([f.headline() for f in bright[:MOST_LISTED]], len(bright), "bright spots")
                        or ["None this time."]))
    head.blocks.append(("p", "A bright spot's whole 95% interval is better than what it is compared with; an area "
                             "to look at's is worse. They are prompts for questions, not scores."))

    changed = Section("changed", "What changed since the last survey")
    clear = sorted((f for f in figures if f.shown and f.change is not None and f.change_clear and f.source != "dfe"),
                   key=lambda f: -abs(f.change))
    if clear:
        changed.blocks.append(("list", _listed([f"{f.label}: {f.figure_text}, {f.change_text}."
                                                for f in clear[:MOST_LISTED]], len(clear), "clear changes")))
    else:
        changed.blocks.append(("p", "No figure changed clearly (beyond what chance could explain) since the last "
                                    "survey."))

    dfe = Section("dfe", "The DfE statistics beside them")
    measures = [m.figure for d in report.domains for m in d.dfe if m.figure.shown]
    if measures:
        worse = [f for f in measures if f.reading == LOOK]
        better = [f for f in measures if f.reading == BRIGHT]
        dfe.blocks.append(("p", f"{_plural(len(measures), 'DfE measure')} for {la}: {len(better)} clearly better "
                                f"and {len(worse)} clearly worse than England; the rest are close to it."))
        dfe.blocks.append(("list", [f.headline() for f in (worse + better)[:MOST_LISTED]]
                           or ["None differs clearly from England."]))
    else:
        dfe.blocks.append(("p", f"No DfE statistics are loaded for {la}."))

    acted = Section("acted", "What was done, and what children were told")
    actions = report.actions
    if actions:
        done = [a for a in actions if a.status == "done"]
        told = [a for a in actions if a.told_children_on is not None]
        acted.blocks.append(("p", f"{_plural(len(actions), 'action')} on record: {len(done)} done, "
                                  f"{sum(1 for a in actions if a.status == 'in_progress')} in progress. Children "
                                  f"have been told the outcome of {len(told)} of them."))
        shown = sorted(done, key=lambda a: a.raised_on, reverse=True)[:4]
        acted.blocks.append(("list", [f"You said: {a.we_heard} We did: {a.we_did or 'a change'}"
                                      + (f" (children told {a.told_children_on:%B %Y})." if a.told_children_on
                                         else " (children not told yet).") for a in shown]))
    else:
        acted.blocks.append(("p", f"No 'you said, we did' actions are loaded for {la}."))

    words = Section("words", "In their own words")
    if report.quotes:
        words.blocks.append(("list", [f"“{q}”" for q in report.quotes[:QUOTES]]))
        words.blocks.append(("p", "Shared with their agreement; who said them, and when, is never shown."))
    else:
        words.blocks.append(("p", "No quotes can be shared: nobody agreed to be quoted, or the counts they belong "
                                  "to are hidden."))
    return [head, changed, dfe, acted, words]


def lay_out_brief(report: Report, progress=None, appendix: bool = True) -> Layout:
    """The brief, then (appendix=True) the full report, every section of it, as an appendix."""
    sections = brief_sections(report)
    sections[-1].blocks.append(("p", "Status codes: " + "; ".join(f"**{c}** {m}" for c, m in methods.status_legend())
                                + "."))
    for sec in sections:
        sec.blocks = [(b[0], _compact(b[1]), *b[2:]) if b[0] == "table" else b for b in sec.blocks]
    full = lay_out(report, progress) if appendix else None
    intro = [f"A short brief for the corporate parenting panel: what {report.who_text} in {report.la_name} told us "
             f"in {report.wave}, and what was done about it." + (" The full report follows as an appendix." if appendix
                                                                   else ""),
             f"Made on {_when(report)} by voice-dashboard. Every figure about children has passed disclosure "
             "control: a hidden figure reads c."]
    if full is None:
        return Layout(report=report, intro=intro, sections=sections, footer=_footer(report), charts=[],
                      title=brief_title(report))
    first = full.sections[0]
    first.title, first.new_page = f"Appendix: the full report. {first.title}", True
    return Layout(report=report, intro=intro, sections=sections + full.sections, footer=_footer(report),
                  charts=full.charts, title=brief_title(report))


def brief_title(report: Report) -> str:
    return f"Corporate parenting panel brief: {report.la_name}, {report.wave}"


def _footer(report: Report) -> str:
    return (f"Panel brief: {report.la_name}, {report.wave}. Made {_when(report)} by voice-dashboard."
            + (" SYNTHETIC DEMO DATA: not real children." if report.synthetic else ""))
