"""You said, we did: what was done about each finding, whether children were told, and the
areas to look at that have no action yet."""
from dataclasses import replace

import streamlit as st

from dashboard.exports import to_csv_bytes
from dashboard.signin import audited_download
from dashboard.report import findings as rules
from dashboard.ui import actions as view
from dashboard.ui import charts, data
from dashboard.ui import selection, url, widths
from dashboard.ui.selection import COHORTS

st.title("You said, we did")
st.markdown(
    "Voice without action is not enough: every finding should lead to something done, and children should "
    "be told what happened. Each action is shown beside the finding it answers and how that finding reads now.")

choice = selection.current("No local authority has voice data yet, so there are no actions to show.", icon=":material/info:")

actions = data.actions_for_la(choice.la_code)
figures = data.figures(replace(choice, age_band="all"), all_cohorts=True)
findings = view.findings_now(figures)

st.header(f"Actions in {choice.la_name}")
if actions.height == 0:
    st.info(f"No actions are recorded for {choice.la_name} yet. Load them with "
            "`voice-dashboard load actions FILE`.", icon=":material/info:")
else:
    left, right = st.columns(2)
    statuses = url.choices(left.multiselect, "Status", list(view.STATUS_LABELS), key="actions_status",
                           param="status", default=list(view.STATUS_LABELS), format_func=view.STATUS_LABELS.get)
    present = sorted(set(actions["source"].to_list()), key=view.source_label)
    sources = url.choices(right.multiselect, "Source", present, key="actions_source", param="source",
                          default=present, format_func=view.source_label)
    shown = view.filter_actions(actions, statuses, sources)
    counts = view.status_counts(shown)

    cols = st.columns(5)
    cols[0].metric("Actions shown", shown.height)
    for col, label in zip(cols[1:], view.STATUS_LABELS.values()):
        col.metric(label, int(counts.filter(counts["Status"] == label)["Actions"].sum()))
    not_told = int(counts[view.NOT_TOLD].sum())
    if not_told:
        st.warning(f"Children have not yet been told about {not_told} of the {shown.height} actions shown.",
                   icon=":material/campaign:")

    charts.show(view.status_chart(counts), counts,
                f"Number of actions in {choice.la_name} by status, split by whether children have been told "
                "(hatched: not yet told).", key="actions_status_chart", filename=f"actions_by_status_{choice.la_code}")

    table = view.actions_table(shown, findings, data.catalogue(), choice.wave)
    st.subheader("Every action shown")
    st.caption(f"'Finding now' is the finding's classification in {choice.wave} (the wave chosen on the left), "
               "for the whole group.")
    if table.height:
        # Rows over 4rem tall let the grid wrap its text, so "We heard" and "We did" are read whole.
        # ... and what was heard and done come first, so they are read without scrolling sideways;
        # every row is shown without scrolling down. A line says to scroll sideways wherever the page
        # is narrower than its ten columns need (the last five were out of sight unsaid).
        charts.grid(table, hide_index=True, width="stretch", row_height=84, height=84 * table.height + 40,
                     column_order=["We heard", "We did", *[c for c in table.columns if c not in ("We heard", "We did")]],
                     column_config={"Finding": st.column_config.TextColumn(width="medium"),
                                    "We heard": st.column_config.TextColumn(width="medium"),
                                    "We did": st.column_config.TextColumn(width="medium")})
    else:
        st.info("No action matches the status and source chosen.", icon=":material/filter_alt:")
    st.download_button("Download CSV of these actions", to_csv_bytes(table),
                       file_name=f"you_said_we_did_{choice.la_code}.csv", mime="text/csv", key="actions_csv",
                       **audited_download(f"you_said_we_did_{choice.la_code}.csv"))

st.header("Areas to look at with no action yet")
areas = rules.areas_to_look_at(figures, choice.cohort)
gaps = view.no_action_yet(figures, actions, choice.cohort)
st.metric("Areas to look at with an action", f"{areas.height - gaps.height} of {areas.height}")
st.markdown(f"Findings for {choice.la_name} in {choice.wave} ({COHORTS[choice.cohort].split(' (')[0].lower()}: "
            "survey, record measures and DfE metrics, all ages) that are clearly worse than what they are compared "
            "with, and that no action answers yet. The Overview and the panel report count the same areas.")
if gaps.height:
    # The finding is read whole: a long one (a DfE metric's title) was cut off at the grid's widest
    # column; so its column is 400 pixels wide with rows tall enough to wrap it (a grid wraps text
    # in rows over 4rem), and every row is shown without scrolling down.
    rows = widths.wrapped_rows_px(gaps["Finding"], widths.NAMED_WIDTHS["large"])
    charts.grid(gaps, hide_index=True, width="stretch", row_height=rows, height=rows * gaps.height + 40,
                column_config={"Finding": st.column_config.TextColumn(width="large")})
    st.download_button("Download CSV of these areas", to_csv_bytes(gaps),
                       file_name=f"areas_with_no_action_{choice.la_code}_{choice.wave}.csv", mime="text/csv",
                       key="gaps_csv", **audited_download(f"areas_with_no_action_{choice.la_code}_{choice.wave}.csv"))
else:
    st.success("Every area to look at has an action.", icon=":material/task_alt:")
charts.legend({"c"})
