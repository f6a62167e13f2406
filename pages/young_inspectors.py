"""Young inspectors: what children and young people said, in plain words and big pictures, with what
was done about it. The wording rules live in dashboard/ui/young_inspectors.py."""
import streamlit as st

from dashboard.ui import data
from dashboard.ui import selection
from dashboard.ui import young_inspectors as words

st.title(words.TITLE)

choice = selection.current("There is nothing to show yet.", icon=":material/info:")

st.markdown(words.intro(choice.cohort, choice.la_name, choice.wave, choice.age_band))

figures = data.figures(choice)
tiles, not_shown = words.tiles(figures, data.catalogue())

if not tiles:
    st.info(words.NO_ANSWERS.format(year=choice.wave), icon=":material/info:")
else:
    domains = {d.id: d for d in data.catalogue().domains}
    for section in (words.GOING_WELL, words.GET_BETTER, words.OTHER):
        these = [t for t in tiles if t.section == section]
        if not these:
            continue
        st.header(words.HEADINGS[section])
        st.markdown(words.SECTION_NOTES[section])
        groups = [(None, these)] if section != words.OTHER else [
            (domains[d], [t for t in these if t.domain == d]) for d in domains if any(t.domain == d for t in these)]
        for domain, group in groups:
            if domain is not None:
                st.subheader(domain.child_friendly)
            for start in range(0, len(group), 3):
                cols = st.columns(3)
                for col, tile in zip(cols, group[start:start + 3]):
                    col.html(words.tile_html(tile))

if not_shown:
    st.info(words.HIDDEN_NOTE, icon=":material/lock:")
    with st.expander("Answers we have not shown"):
        st.markdown("\n".join(f"- {phrase}" for phrase in not_shown))

st.header(words.QUOTES_HEADING)
# Only this cohort's own words: never a parent's or another group's under "things ... said".
quotes = data.theme_quotes(choice.la_code, data.ALL, per_theme=2,
                          cohort=words.THEMES_COHORT.get(choice.cohort))
if quotes:
    st.markdown(words.quotes_note(choice.cohort))
    for said in quotes.values():
        for q in said:
            st.html(words.quote_html(q))
else:
    st.markdown(words.NO_QUOTES)

st.header(words.CHANGES_HEADING)
raised = data.themes_raised_by_cohort(choice.la_code, words.THEMES_COHORT.get(choice.cohort))
actions = words.cohort_actions(data.actions_for_la(choice.la_code), choice.cohort,
                               data.catalogue(), raised)
changes = words.changes(actions)
if changes:
    st.markdown(words.CHANGES_NOTE)
    for you_said, we_did in changes:
        st.html(words.change_html(you_said, we_did))
else:
    st.markdown(words.NO_CHANGES)
