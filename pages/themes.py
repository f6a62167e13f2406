"""Themes: what children and families raised in participation work, counted by theme (gated), with
the quotes people agreed to share."""
import streamlit as st

from dashboard import db
from dashboard.engine import themes
from dashboard.ui import charts
from dashboard.ui import selection
from dashboard.ui import themes as view

st.title("Themes")
st.markdown(
    "What children, young people and families raised in participation and other work (councils, forums, "
    "advocacy, feedback), grouped by theme. Each record is one thing someone said. Counts of 1 to 5, and "
    "any count that would let a hidden one be worked out, are hidden (**c**) so that nobody can be recognised.")

choice = selection.current("No local authority has voice data yet, so there are no themes to show.", icon=":material/info:")

con = db.connection()
periods = themes.periods(con, choice.la_code)
if not periods.years:
    st.info(f"No themes are loaded for {choice.la_name} yet. Load them with "
            "`voice-dashboard load themes FILE`.", icon=":material/info:")
    st.stop()

left, right = st.columns([1, 2])
view.keep_valid("themes_period", periods.options, periods.options[0])
period = left.selectbox("Period", periods.options, format_func=view.period_name, key="themes_period",
                        help="Reporting years end on 31 March. All years together show the most, because small "
                             "counts are hidden.")
view.keep_valid("themes_breakdown", list(view.BREAKDOWNS), view.SOURCE)
breakdown = right.radio("Break the themes down by", list(view.BREAKDOWNS), format_func=view.BREAKDOWNS.get,
                        horizontal=True, key="themes_breakdown")

counts = themes.theme_counts(con, choice.la_code, period)
total, total_status = view.total_records(counts)
table = view.overview_table(counts)
shown = table.filter(table["Records"].is_not_null()).height

cols = st.columns(3)
cols[0].metric("Records", "c" if total is None else f"{total:,}", help="Things said and recorded in this period.")
cols[1].metric("Themes", table.height)
cols[2].metric("Theme counts shown", f"{shown} of {table.height}")

st.header(f"What was raised in {choice.la_name}")
charts.show(view.overview_chart(table), table,
            f"Number of records about each theme in {choice.la_name}, {themes.period_label(period)}, largest "
            "first; hidden counts are marked c.",
            key="themes_overview", filename=f"themes_{choice.la_code}_{period}")

st.header(view.HEADINGS[breakdown])
by_group = themes.theme_counts(con, choice.la_code, period, breakdown)
if by_group.height:
    charts.show(view.breakdown_chart(by_group, breakdown, view.theme_order(counts)), view.breakdown_table(by_group, breakdown),
                view.breakdown_caption(choice.la_name, period, breakdown),
                key=f"themes_{breakdown}", filename=f"themes_{choice.la_code}_{period}_by_{breakdown}")
else:
    st.info("There is nothing to break down for this period.", icon=":material/info:")
charts.legend({"c", "low"})

st.header("In their own words")
quotes = themes.quotes(con, choice.la_code, period)
st.caption("Quotes are shown only where the person agreed to be quoted, the words name no person or place, and "
           "the theme's count is shown above. Who said it, and when, is never shown.")
if quotes:
    for theme, said in quotes.items():
        st.markdown(f"**{view.md_escape(view.nice(theme))}**")
        for q in said:
            st.markdown(view.quote_markdown(q))
else:
    st.info("No quotes can be shown for this period: either nobody agreed to be quoted, or every theme's count "
            "is hidden. Try all years together.", icon=":material/info:")
