"""DfE metrics: the national framework's outcomes and enablers for the LA, against its region,
England and its statistical neighbours, each beside its Bright Spots domain."""
import streamlit as st

from dashboard.exports import to_csv_bytes
from dashboard.signin import audited_download
from dashboard.ui import charts, data
from dashboard.ui import dfe_metrics as view
from dashboard.ui import selection, url

st.title("DfE metrics")
st.markdown(
    "The Department for Education's children's social care national framework measures what the system does "
    "(its outcomes and enablers). Here each measure sits beside the Bright Spots domain it is closest to, so it "
    "can be read next to what children say. Each chart shows the local authority against its region, England and "
    "the middle value (median) of its statistical neighbours: similar local authorities, never named (for the "
    "Ofsted leadership judgements, how many of the ten neighbours have that judgement, as the DfE shows it). The figures "
    "are the DfE's own; a year the DfE did not publish is a gap with the DfE's code, never a zero. The table at "
    "a glance has every measure's latest year; below it, choose which measures to see year by year as charts "
    "(those beside one domain, under one heading of the DfE's dashboard).")

choice = selection.current("No DfE statistics or voice data are loaded for any local authority yet. Load the DfE's "
                           "published files with `voice-dashboard load dfe FILE ...`.", icon=":material/info:")
selection.no_survey_note(choice)

show = url.choice(st.radio, "Show", list(view.SHOW), key="dfe_show", param="show", format_func=view.SHOW.get,
                  horizontal=True)
found = view.metrics(show)
version = data.published_version()
frames = view.all_series(version, found, choice)
table = view.summary(found, frames, choice)
if table.height == 0:
    st.info(f"No DfE statistics for {choice.la_name} are loaded. Load the DfE's published files with "
            "`voice-dashboard load dfe FILE`.", icon=":material/info:")
    st.stop()

st.header(f"{choice.la_name} at a glance")
charts.wide_table(view.summary_display(table, found, choice), label=f"{choice.la_name} at a glance")
st.caption(f"The latest year up to {choice.wave} for each measure: {choice.la_name}'s figure (empty where the DfE "
           "did not publish it, with the DfE's status code beside it), its region, England and the median of its "
           "statistical neighbours with a figure. The download keeps numbers and units in separate columns.")
st.download_button("Download CSV of this table", to_csv_bytes(table), file_name=f"dfe_metrics_{choice.la_code}.csv",
                   mime="text/csv", key="download_dfe_summary", **audited_download(f"dfe_metrics_{choice.la_code}.csv"))

# One group of charts at a time (a few, not all 59: drawing them all took tens of seconds in a browser).
areas = {a.id: a for a in view.areas(found)}
area = areas[url.choice(st.selectbox, "Measures drawn as charts, year by year", list(areas), key="dfe_area",
                        param="dfe_area", format_func=lambda a: areas[a].label)]
statuses = set(table["Status"].to_list())
st.header(f"Beside {area.domain.title}")
st.caption(area.domain.description)
st.subheader(f"On the DfE's dashboard: {area.heading}")
columns = st.columns(2)
for i, metric in enumerate(area.metrics):
    frame = frames[metric.id]
    with columns[i % 2]:
        st.markdown(f"#### {metric.title}")
        st.markdown(view.about(metric))
        if frame.height == 0:
            st.info(f"No figures for {choice.la_name} are loaded for this measure.", icon=":material/info:")
            continue
        statuses |= set(frame["status"].to_list())
        shown = view.drawn(version, metric, frame, choice)
        charts.show(shown.figure, shown.table, shown.caption, key=f"dfe_{metric.id}",
                    filename=f"{metric.id}_{choice.la_code}")
        st.caption(shown.source)
legend = view.legend_words(statuses - {"ok"})
if legend:
    st.caption(legend)
