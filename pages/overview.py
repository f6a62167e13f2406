"""Overview for senior leaders: per Bright Spots domain the bright spots and areas to look at, the
DfE headline metrics beside them, the biggest changes since the last wave, and whether findings
have an action that children were told about."""
import streamlit as st

from dashboard.ui import charts, data
from dashboard.ui import overview as ov
from dashboard.ui import selection
from dashboard.ui.selection import AGE_BANDS, COHORTS

st.title("Overview")
st.markdown("What children and young people say in the Bright Spots domains, what the records show, and what "
            "was done about it. Figures are for learning, not league tables: each is read against a comparator "
            "with its uncertainty, and other local authorities are never named.")

choice = selection.current("No local authority has voice data yet. Load survey or record files first (see Start).")
selection.no_survey_note(choice)

catalogue = data.catalogue()
table = data.figures(choice)
summaries = ov.summarise(table, catalogue, choice.cohort, choice.age_band)
actions = data.actions_for_la(choice.la_code)

st.markdown(f"**{choice.la_name}, {choice.wave}** · {COHORTS[choice.cohort]} · {AGE_BANDS[choice.age_band]}")
if not any(s.figures for s in summaries):
    st.info(f"There are no survey or record figures for {choice.la_name} in {choice.wave} for this selection. "
            "Choose another wave or cohort in the sidebar.", icon=":material/info:")

st.header("Bright spots and areas to look at")
st.markdown(ov.CLASSIFICATION_HELP)
used = ov.comparators_used(summaries)
st.caption("Comparators used here: " + ("; ".join(used) if used else "none (no figure differed clearly)") +
           ". Survey figures are for the chosen cohort; record measures (voice checks, reviews, feedback forms) "
           "are for every child or family they cover; DfE metrics are compared with England. 'You said, we did' "
           "and the panel report count the same bright spots and areas to look at.")
for start in range(0, len(summaries), 3):
    for col, s in zip(st.columns(3), summaries[start:start + 3]):
        with col.container(border=True, height="stretch"):
            st.markdown(f"#### {s.domain.title}")
            left, right = st.columns(2)
            left.metric("Bright spots", len(s.bright), help="Clearly better than the comparator.")
            right.metric("Areas to look at", len(s.look), help="Clearly worse than the comparator.")
            st.caption(f"{s.no_clear} with no clear difference, {s.not_compared} not compared, {s.hidden} hidden (c).")
            st.page_link("../pages/domains.py", label=f"Open {s.domain.title}", icon=":material/arrow_forward:",
                         query_params={"domain": s.domain.id})

st.header("By domain")
for s in summaries:
    st.subheader(s.domain.title)
    st.caption(s.domain.description)
    bright, look = st.columns(2)
    with bright:
        st.markdown("**Bright spots**")
        st.markdown("\n".join(ov.finding_line(r) for r in s.bright) or "None this wave.")
    with look:
        st.markdown("**Areas to look at**")
        st.markdown("\n".join(ov.finding_line(r) for r in s.look) or "None this wave.")
    if s.dfe:
        st.markdown(f"**DfE statistics for this domain** (latest year up to {choice.wave})")
        charts.wide_table(ov.dfe_table(s.dfe, choice.la_name, catalogue), border="horizontal",
                          label=f"DfE statistics for {s.domain.title}")
    else:
        st.caption("No DfE metric in the catalogue belongs to this domain.")
st.caption(ov.DFE_HELP)

st.header("Biggest changes since the last wave")
improved, worsened = ov.changes(table, catalogue)
if improved.height + worsened.height == 0:
    st.info("No figure can be compared with an earlier wave for this selection.", icon=":material/info:")
else:
    previous = {}
    changed = [*improved.iter_rows(named=True), *worsened.iter_rows(named=True)]
    lines = data.trends(choice, [data.series(row["indicator_id"], choice) for row in changed])
    for row, t in zip(changed, lines):
        hit = t.filter(t["wave"] == row["previous_wave"])
        previous[row["indicator_id"]] = (hit["ci_low"][0], hit["ci_high"][0]) if hit.height else (None, None)
    shown = ov.change_table(improved.vstack(worsened), previous)
    st.markdown("Clear changes (unlikely to be chance, at the 5% level) come first, then the largest. "
                "These compare this local authority with itself, not with others.")
    better, worse = st.columns(2)
    better.markdown("**Improved**\n" + ("\n".join(ov.change_line(r) for r in improved.iter_rows(named=True))
                                        or "\nNothing improved."))
    worse.markdown("**Worsened**\n" + ("\n".join(ov.change_line(r) for r in worsened.iter_rows(named=True))
                                       or "\nNothing worsened."))
    charts.show(ov.change_figure(improved, worsened, choice.wave), shown,
                caption=f"The largest improvements and worsenings for {choice.la_name} between the previous wave "
                        f"and {choice.wave}: hollow circle then, triangle now with its 95% interval.",
                key="overview_changes", filename=f"changes_{choice.la_code}_{choice.wave}")

st.header("You said, we did")
loop = ov.action_loop(summaries, actions, choice.cohort)
a, b, c = st.columns(3)
a.metric("Areas to look at with an action", f"{loop.with_action} of {loop.findings}")
b.metric("Actions on record", loop.actions)
c.metric("Actions reported back to children", f"{loop.told} of {loop.actions}")
st.caption(f"Actions are linked to a finding through its indicator. All of {choice.la_name}'s actions on record are "
           "counted, whatever date they were raised. Actions are about services, not children.")
if loop.without_action:
    st.markdown("**Areas to look at with no action yet:** " + "; ".join(loop.without_action) + ".")
st.page_link("../pages/actions.py", label="See every action on the You said, we did page", icon=":material/task_alt:")

charts.legend({"c", "low"})
