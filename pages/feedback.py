"""Feedback from direct work: first whether feedback was sought and discussed, then the scores by
service and stage, and the forms scored 5 on every question, with the research's caveats.
Never by worker."""
import streamlit as st

from dashboard.ui import charts
from dashboard.ui import feedback as view
from dashboard.ui import selection, url

st.title("Feedback from direct work")
st.markdown(
    "After direct work, children, young people, parents and carers can fill in a short four-question form "
    "about how the work is going. This page shows whether their feedback was asked for and talked about, "
    "and how they scored the work, by service and by stage of the work.")
st.info(view.CAVEATS, icon=":material/lightbulb:")

choice = selection.current("No local authority has voice data loaded yet, so there is nothing to show here.", icon=":material/info:")
year = view.year_words(choice.wave)

st.header("Was feedback asked for, and talked about afterwards?")
row = view.headline(choice)
if row is None:
    st.info(f"No feedback forms are recorded for {choice.la_name} in {year}. Pick another year in the sidebar.",
            icon=":material/info:")
else:
    figure, words = view.headline_words(row)
    st.metric(f"Forms whose answers were talked about afterwards, {year}", figure)
    st.caption(words)

table, fig = view.discussed_trend(choice)
if table.height:
    charts.show(fig, table,
                f"Share of feedback forms in {choice.la_name} whose answers were talked about with the person "
                "afterwards, year by year, with its 95% interval (shaded) and all local authorities loaded together "
                "(dashed); c marks a hidden year.",
                key="discussed_trend", filename=f"feedback_discussed_by_year_{choice.la_code}")

if row is not None:
    breakdown = url.choice(st.radio, "Break down by", list(view.BREAKDOWNS), key="feedback_discussed_breakdown",
                           param="feedback_by", format_func=view.BREAKDOWNS.get, horizontal=True)
    table, fig = view.discussed_breakdown(choice, breakdown)
    charts.show(fig, table,
                f"Share of feedback forms in {year} whose answers were talked about afterwards, by "
                f"{view.BREAKDOWNS[breakdown].lower()}, with 95% intervals; c marks a hidden group and a hatched bar "
                "a low base.",
                key="discussed_breakdown", filename=f"feedback_discussed_by_{breakdown}_{choice.la_code}_{choice.wave}")

    st.header("Scores, by service and by stage of the work")
    st.markdown("Each question is scored from 1 (not at all) to 5 (very well or very much). Each row shows the share "
                "of the forms in that group that scored 4 or 5, and 1 to 3.")
    st.caption(view.SCORES_GROUPED)
    question = url.choice(st.radio, "Question", list(view.QUESTIONS), key="feedback_question", param="question",
                          format_func=lambda q: " - ".join(view.QUESTIONS[q]))
    for breakdown in ("service", "stage"):
        table, fig = view.scores(choice, question, breakdown)
        if table.height == 0:
            st.info(f"No scores are recorded for this question in {year}.", icon=":material/info:")
            break
        charts.show(fig, table,
                    f"{view.QUESTIONS[question][0]}: share of forms in {year} scoring 4 or 5, and 1 to 3, for all forms and "
                    f"by {view.BREAKDOWNS[breakdown].lower()}; c marks a hidden figure, a blank square means no form "
                    "scored in that band (* low base: read with care).",
                    key=f"scores_{breakdown}", filename=f"feedback_{question}_by_{breakdown}_{choice.la_code}_{choice.wave}")

    st.header("Forms scored 5 on every question")
    st.warning(view.ALL_FIVES_CAVEAT, icon=":material/warning:")
    for breakdown in ("service", "stage"):
        table, fig = view.all_fives(choice, breakdown)
        if table.height == 0:
            st.info(f"No fully answered forms are recorded in {year}.", icon=":material/info:")
            break
        charts.show(fig, table,
                    f"Share of fully answered forms in {year} scored 5 on all four questions, by "
                    f"{view.BREAKDOWNS[breakdown].lower()}, with 95% intervals; c marks a hidden group.",
                    key=f"all_fives_{breakdown}", filename=f"feedback_all_fives_by_{breakdown}_{choice.la_code}_{choice.wave}")
charts.legend({"c", "low"})
