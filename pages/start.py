"""Start: what the dashboard holds (which data is loaded; no figures about children)."""
import streamlit as st

from dashboard import db, signin
from dashboard.ui import charts

st.title("Voice and well-being dashboard")
st.markdown(
    "What children in care, care leavers and families say, beside the Department for Education's "
    "children's social care statistics. Every figure about children passes disclosure control, "
    "so no child can be picked out.")

kinds = db.kinds_of_data()
person = signin.current()
las = db.local_authorities()
las = las.filter([person.may_see_la(code) for code in las["Code"]]) if las.height else las   # only the LAs granted
waves = db.survey_waves()
if person.las is not None and "Which" in waves.columns:   # other LAs stay unnamed for a reader granted only some
    waves = waves.drop("Which")
dfe = db.dfe_datasets()

cols = st.columns(4)
cols[0].metric("Files loaded", int(kinds["Files loaded"].sum()))
cols[1].metric("Local authorities with voice data", las.height)
# Waves are survey years: YLYC and YLBC run in the same wave, so count the years, not survey x wave.
cols[2].metric("Survey waves", waves["Wave"].n_unique() if waves.height else 0,
               help="Survey years loaded (a year counts once, whichever surveys ran in it).")
cols[3].metric("DfE datasets", dfe.height)

# Each grid is as wide as its words; where that is wider than the page a line says it scrolls
# sideways (charts.grid works out the width from the grid's columns).
st.header("Data loaded")
charts.grid(kinds, hide_index=True)
st.caption("To add files: stop the dashboard, run `voice-dashboard load KIND FILE` with the KIND shown above, "
           "then start the dashboard again.")

st.header("Local authorities")
if las.height:
    charts.grid(las, hide_index=True)
else:
    st.caption("No voice data is loaded for any local authority yet.")

st.header("Bright Spots survey waves")
if waves.height:
    charts.grid(waves, hide_index=True)
else:
    st.caption("No survey waves are loaded yet.")

st.header("DfE datasets")
if dfe.height:
    charts.grid(dfe, hide_index=True)
else:
    st.caption("No DfE statistics are loaded yet.")
