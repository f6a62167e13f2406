"""How we listen: every way the LA asks children and young people what they think (the
register), who is asked how often, what the findings led to, and where the listening loop breaks."""
from datetime import date

import polars as pl
import streamlit as st

from dashboard import db, signin
from dashboard.exports import to_csv_bytes
from dashboard.statement import lundy, register, sidefile
from dashboard.ui import charts, data, selection, url
from dashboard.ui import listening as view

st.title("How we listen")
st.markdown("Every way the council asks children, young people and families what they think, from the register "
            "of activities: who is asked, how often and by how many routes, whether what they said led to "
            "recorded actions, and whether they were told.")

person = signin.current()
choice = selection.current("No local authority has data yet.", icon=":material/info:")
acts_all = data.voice_activities(choice.la_code)
if not acts_all:
    st.info(f"No register of activities is loaded for {choice.la_name}. Fill one in (see the README, "
            "'How we listen') and load it with `voice-dashboard load voice-activities FILE`.", icon=":material/info:")
    st.stop()

this_year = date.today().year + (1 if date.today().month >= 4 else 0)
years = list(range(this_year, this_year - 6, -1))
year = url.choice(st.selectbox, "Reporting year (April to March)", years, key="listening_year", param="year",
                  default=choice.wave if choice.wave in years else years[0],
                  format_func=lambda y: f"{y} (April {y - 1} to March {y})")
first, last = register.reporting_year(year)
acts = [a for a in acts_all if a.active_between(first, last)]
s = register.settings()

st.header(f"Who is asked, and by how many routes: {choice.la_name}")
routes = register.routes_table(acts, year)
unasked = routes.filter(pl.col("nobody_asks"))["cohort"].to_list()
if unasked:
    st.warning("Nobody asks: " + ", ".join(view.cohort_label(c) for c in unasked) + f" (no activity in {year}).",
               icon=":material/visibility_off:")
charts.grid(view.routes_display(routes), hide_index=True, width="stretch")

st.header("How often each group is asked")
asks = register.asks_table(acts, year, s)
too = asks.filter(pl.col("too_often"))
if too.height:
    st.warning("Asked too often (more than " + f"{s.max_asks_per_quarter} times in a quarter): "
               + "; ".join(f"{view.cohort_label(c)} in {q} ({n} times)" for c, q, n in too.select("cohort", "quarter", "asks").iter_rows()),
               icon=":material/warning:")
else:
    st.success(f"No group is asked more than {s.max_asks_per_quarter} times in a quarter.", icon=":material/check:")
st.caption("Routes that are always open (advocacy, complaints, forms after each piece of work) count as a route but "
           f"not as being asked. The threshold ({s.max_asks_per_quarter}) is set in dashboard/statement/listening.yaml.")
charts.show(view.asks_chart(asks, s.max_asks_per_quarter), view.asks_display(asks),
            f"Times each group is asked in each quarter of {year}, {choice.la_name}; the dashed line is the threshold.",
            key="listening_asks", filename=f"times_asked_{choice.la_code}_{year}")

st.header("What the findings led to")
actions = data.actions_for_la(choice.la_code)
loops = register.loops(acts, actions)
charts.grid(view.loops_display(loops), hide_index=True, width="stretch")
none = [l.activity.activity for l in loops if not l.led_to_action]
if none:
    st.info(f"{len(none)} of {len(loops)} activities have no recorded action: " + "; ".join(none), icon=":material/info:")

st.header("Where the listening loop breaks (Lundy model)")
st.markdown("Space, voice, audience, influence: a short self-assessment per activity. The first element not fully "
            "in place is where the loop breaks (views gathered, no audience; audience, no influence).")
db_file = db.db_path()
answers = sidefile.lundy_answers(db_file, choice.la_code)
assessments = {a.activity_id: lundy.assess(a.activity_id, answers.get(a.activity_id, {})) for a in acts}
counts = view.breaks_summary(assessments)
st.markdown(" · ".join(f"**{k}**: {n}" for k, n in sorted(counts.items())))
table = view.lundy_display(loops, assessments)
charts.grid(table, hide_index=True, width="stretch")
st.download_button("Download CSV of the self-assessment", to_csv_bytes(table),
                   file_name=f"lundy_self_assessment_{choice.la_code}_{year}.csv", mime="text/csv", key="lundy_csv")

if person.may_assess_participation:
    with st.expander("Answer the self-assessment for an activity (admin or participation lead)"):
        by_id = {a.activity_id: a for a in acts}
        picked = url.choice(st.selectbox, "Activity", list(by_id), key="lundy_activity", param="activity",
                            format_func=lambda i: by_id[i].activity)
        mine = answers.get(picked, {})
        with st.form("lundy_form"):
            given = {}
            for e in lundy.elements():
                st.markdown(f"**{e.title}**: {e.means}")
                for q in e.questions:
                    current = mine[q.id].value if q.id in mine else None
                    given[q.id] = st.radio(q.text, lundy.ANSWERS, horizontal=True, key=f"lundy_{picked}_{q.id}",
                                           index=lundy.ANSWERS.index(current) if current in lundy.ANSWERS else None)
            who = st.text_input("Your name and role (kept with the answers)", key="lundy_who", value=signin.signed_in_as(person))
            if st.form_submit_button("Save answers"):
                if not who.strip():
                    st.error("Say who you are: every answer is kept with who gave it and when.")
                elif any(v is None for v in given.values()):
                    st.error("Answer every question (yes, partly or no) before saving.")
                else:
                    for qid, v in given.items():
                        sidefile.save_lundy(db_file, choice.la_code, picked, qid, v, who)
                    st.success(f"Saved {len(given)} answers for {by_id[picked].activity}.")
                    st.rerun()
else:
    st.caption('Only an admin or a participation lead can answer the self-assessment (the roles file says who).')
