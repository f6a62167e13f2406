"""Participation in reviews: how children took part in their reviews (PN codes), in either scheme,
the crosswalk between the schemes, and the recommended data returns 2a, 2b and 2c over time."""
import streamlit as st

from dashboard import pn_codes
from dashboard.ui import charts, data
from dashboard.ui import participation as view
from dashboard.ui import selection, url

st.title("Participation in reviews")
st.markdown(
    "How children and young people took part in their review meetings, recorded as a participation "
    "(PN) code at every review. Codes can be shown in the codes in use now (SSDA903) or in the 2023 "
    "recommended codes; reviews recorded in the other scheme are mapped across.")

choice = selection.current("No local authority has voice data loaded yet, so there is nothing to show here.", icon=":material/info:")

scheme = url.choice(st.radio, "Show codes in", list(pn_codes.SCHEMES), key="participation_scheme", param="scheme",
                    format_func=pn_codes.SCHEMES.get, horizontal=True)

st.header(f"How children took part in {view.year_words(choice.wave)}")
figs = view.pn_figures(choice, scheme)
if figs.height == 0:
    st.info(f"No reviews are recorded for {choice.la_name} in {view.year_words(choice.wave)}. "
            "Pick another year in the sidebar.", icon=":material/info:")
else:
    charts.show(view.pn_heatmap(figs, scheme), view.pn_table(figs, scheme),
                f"Share of {choice.la_name}'s reviews in {view.year_words(choice.wave)} with each PN code, for all "
                "reviews together; c marks a hidden figure and a blank square means no reviews had that code "
                "(* low base: read with care).",
                key="pn_codes", filename=f"pn_codes_{scheme}_{choice.la_code}_{choice.wave}")
    not_mapped = view.unmapped(figs)
    st.markdown(view.unmapped_sentence(not_mapped, scheme, choice.wave))

st.header(f"By type of review, {view.year_words(choice.wave)}")
st.caption(view.GROUPED_WHY)
groups = view.group_figures(choice)
if groups.height:
    charts.show(view.group_heatmap(groups), view.group_table(groups),
                f"Share of {choice.la_name}'s reviews in {view.year_words(choice.wave)} in each group of codes, for all "
                "reviews and for each type of review; c marks a hidden figure and a blank square means no reviews "
                "were in that group (* low base: read with care).",
                key="pn_groups", filename=f"pn_groups_{choice.la_code}_{choice.wave}")

st.header("Year by year")
types = [data.ALL, *view.REVIEW_TYPES]
review_type = url.choice(st.selectbox, "Reviews", types, key="participation_review_type", param="reviews",
                         format_func=view.group_label)
table, fig = view.pn_trend(choice, scheme, review_type)
if table.height == 0:
    st.info(f"No {view.group_label(review_type).lower()} are recorded for {choice.la_name}.", icon=":material/info:")
else:
    charts.show(fig, table,
                f"Share of {view.group_label(review_type).lower()} in {choice.la_name} with each PN code (for one type "
                "of review: in each group of codes), year by year; "
                "a code hidden in a year is a gap, and the year is marked c above the chart (which code: point at "
                "the c, or View as table).",
                key="pn_trend", filename=f"pn_codes_by_year_{scheme}_{review_type}_{choice.la_code}")

st.header("What the codes mean, and how the two schemes match")
left, right = st.columns(2)
with left:
    st.markdown("**Current codes (SSDA903, in use)**")
    st.markdown("\n".join(f"- **{c}**: {d}" for c, d in pn_codes.CURRENT.items()))
with right:
    st.markdown("**Recommended codes (2023 proposal)**")
    st.markdown("\n".join(f"- **{c}**: {d}" for c, d in pn_codes.RECOMMENDED.items()))
st.markdown("The crosswalk from current to recommended codes. Reviews whose code does not map to exactly one "
            "code are counted as \"could not be mapped\", a group of their own: they stay in the total, so the "
            "shares are of all reviews.")
with st.container(key="crosswalk"):
    charts.wide_table(pn_codes.crosswalk_table(), label="Crosswalk from current to recommended codes")

st.header("Recommended data returns 2a, 2b and 2c")
st.markdown(
    "- **2a**: the manager confirmed the child's voice, wishes and feelings were heard and responded to "
    "(in the assessment, and when the work ended).\n"
    "- **2b**: reviews where the child's views were given: in person, in words or not, through an advocate, or "
    "another way (recommended PN1 to PN5, out of reviews that could be mapped).\n"
    "- **2c**: in the last 3 months the worker sought the child's feedback on the work, talked about it with "
    "them and recorded it.")
table, fig = view.returns_trend(choice)
if table.height == 0:
    st.info(f"No voice checks or reviews are recorded for {choice.la_name}.", icon=":material/info:")
else:
    charts.show(fig, table,
                f"Returns 2a, 2b and 2c for {choice.la_name}, year by year (per cent, yes out of yes and no); "
                "a hidden figure is a gap, and the year is marked c above the chart (which return: point at the c, "
                "or View as table).",
                key="returns", filename=f"returns_2a_2b_2c_{choice.la_code}")
charts.legend({"c", "low"})
