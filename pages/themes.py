"""Themes: what children and families raised in participation work, counted by theme (gated), with
the quotes people agreed to share."""
import streamlit as st

from dashboard.ui import charts, data
from dashboard.ui import selection, url
from dashboard.ui import themes as view

st.title("Themes")
st.markdown(
    "What children, young people and families raised in participation and other work (councils, forums, "
    "advocacy, feedback), grouped by theme. Each record is one thing someone said. Counts of 1 to 5, and "
    "any count that would let a hidden one be worked out, are hidden (**c**) so that nobody can be recognised.")

choice = selection.current("No local authority has voice data yet, so there are no themes to show.", icon=":material/info:")

periods = data.theme_periods(choice.la_code)
if not periods.years:
    st.info(f"No themes are loaded for {choice.la_name} yet. Load them with "
            "`voice-dashboard load themes FILE`.", icon=":material/info:")
    st.stop()

left, right = st.columns([1, 2])
period = url.choice(left.selectbox, "Period", periods.options, key="themes_period", param="period",
                    format_func=view.period_name,
                    help="Reporting years end on 31 March. All years together show the most, because small "
                         "counts are hidden.")
breakdown = url.choice(right.radio, "Break the themes down by", list(view.BREAKDOWNS), key="themes_breakdown",
                       param="themes_by", default=view.SOURCE, format_func=view.BREAKDOWNS.get, horizontal=True)

counts = data.theme_counts(choice.la_code, period)
total, total_status = view.total_records(counts)
table = view.overview_table(counts)
shown = table.filter(table["Records"].is_not_null()).height

cols = st.columns(3)
cols[0].metric("Records", "c" if total is None else f"{total:,}", help="Things said and recorded in this period.")
cols[1].metric("Themes", table.height)
cols[2].metric("Theme counts shown", f"{shown} of {table.height}")

st.header(f"What was raised in {choice.la_name}")
charts.show(view.overview_chart(table), table,
            f"Number of records about each theme in {choice.la_name}, {data.period_label(period)}, largest "
            "first; hidden counts are marked c.",
            key="themes_overview", filename=f"themes_{choice.la_code}_{period}")

st.header(view.HEADINGS[breakdown])
by_group = data.theme_counts(choice.la_code, period, breakdown)
if by_group.height:
    charts.show(view.breakdown_chart(by_group, breakdown, view.theme_order(counts)), view.breakdown_table(by_group, breakdown),
                view.breakdown_caption(choice.la_name, period, breakdown),
                key=f"themes_{breakdown}", filename=f"themes_{choice.la_code}_{period}_by_{breakdown}")
elif period != data.ALL:
    st.info("Themes are broken down for all years together only: within one year the groups get so small "
            "that most counts would have to be hidden. Choose All years to see them.", icon=":material/info:")
else:
    st.info("There is nothing to break down for this period.", icon=":material/info:")
charts.legend({"c", "low"})

st.header("In their own words")
left, right = st.columns([1, 2])
who = url.choice(left.selectbox, "Said by", view.QUOTE_COHORTS, key="quotes_cohort", param="said_by",
                 format_func=view.said_by_label,
                 help="Only groups whose own count of a theme is shown above can have their quotes shown.")
quotes = data.theme_quotes(choice.la_code, period, cohort=None if who == view.EVERYONE else who)
picked = url.choices(right.multiselect, "Themes", sorted(quotes), key="quotes_themes", param="quote_themes",
                     format_func=view.nice, placeholder="Every theme")
st.caption("Quotes are shown only where the person agreed to be quoted, the words name no person or place, and "
           "the theme's count is shown above. Who said it, and when, is never shown.")
shown_quotes = {t: q for t, q in quotes.items() if not picked or t in picked}
if shown_quotes:
    for theme, said in shown_quotes.items():
        st.markdown(f"**{view.md_escape(view.nice(theme))}**")
        for q in said:
            st.markdown(view.quote_markdown(q))
else:
    st.info("No quotes can be shown for this choice: either nobody agreed to be quoted, or the counts they "
            "belong to are hidden. Try all years together, or everyone.", icon=":material/info:")
