"""Panel report: a printable report for the corporate parenting panel, as PDF and HTML."""
import streamlit as st

from dashboard.report.methods import status_legend
from dashboard.signin import audited_download
from dashboard.ui import selection, url
from dashboard.ui.panel_report import report_for
from dashboard.ui.selection import COHORTS

st.title("Panel report")
st.markdown(
    "A report to print or send to the corporate parenting panel: the headline findings for each "
    "well-being domain, the key charts (each with its table), the DfE measures beside each domain, "
    "what was done about what children said (\"you said, we did\"), and how to read it. Every figure "
    "has passed disclosure control.")

choice = selection.current("No local authority has voice data yet, so there is no report to make. Load a Bright Spots survey "
            "or record-level returns first (see Start).", icon=":material/info:")
selection.no_survey_note(choice)

both = url.toggle(st.toggle, "Children in care and care leavers together", key="report_both", param="both",
                  help="Off: only the survey chosen under 'Whose views' in the sidebar, so the report counts the "
                       "same bright spots and areas to look at as the Overview and 'You said, we did'.")
cohort = None if both else choice.cohort
who = "children in care and care leavers" if both else COHORTS[choice.cohort].split(" (")[0].lower()
st.markdown(f"**The report:** {choice.la_name}, {choice.wave}, {who}, all ages. "
            "Change the local authority and wave in the sidebar.")
if choice.age_band != "all":
    st.caption("The report always covers all ages together; the age band chosen in the sidebar is not used.")

shown = report_for(choice, cohort)
report = shown.report

if report.figure_count() == 0 and not report.actions:
    st.info(f"There are no figures or actions for {choice.la_name} in {choice.wave}, so there is no report to "
            "make. Choose another wave in the sidebar.", icon=":material/info:")
    st.stop()

# The files are made when a button is pressed (the charts and the PDF take seconds to draw), then
# kept for everyone until the next publish: showing the page never waits for them.
left, right = st.columns(2)
left.download_button("Download the report as PDF (for printing)", shown.pdf, file_name=shown.file_name("pdf"),
                     mime="application/pdf", **audited_download(shown.file_name("pdf")), type="primary",
                     icon=":material/picture_as_pdf:", key="panel_report_pdf")
right.download_button("Download the report as HTML (for reading on screen)", shown.html,
                      file_name=shown.file_name("html"), mime="text/html", **audited_download(shown.file_name("html")),
                      icon=":material/description:", key="panel_report_html")
st.caption("The PDF prints on A4. The HTML file opens in any web browser and works with screen readers; "
           "both say the same thing. The first download after new figures are published takes a little "
           "longer while the charts are drawn.")
st.markdown("**The panel brief**: two to four pages for councillors (the headline bright spots and areas to look "
            "at, what changed, the DfE context, what was done and what children were told, and a few of their "
            "own words), with the full report after it as an appendix.")
brief_name = shown.file_name("pdf").replace("panel_report_", "panel_brief_")
st.download_button("Download the panel brief as PDF", shown.brief, file_name=brief_name, mime="application/pdf",
                   **audited_download(brief_name), icon=":material/summarize:", key="panel_brief_pdf")
if report.synthetic:
    st.warning("This report is made from **synthetic demo data**: it says so on every page.",
               icon=":material/science:")

st.header("What the report says")
st.markdown(f"**{report.reading_count('bright spot')} bright spots and {report.reading_count('area to look at')} "
            f"areas to look at** ({who}: survey, record measures and DfE metrics, all ages).")
if not report.survey_in_wave:
    st.caption(f"There is no Bright Spots survey for {choice.la_name} in {choice.wave}: choose a survey year in "
               "the sidebar to see the survey figures.")
for domain in report.domains:
    st.subheader(domain.title)
    st.markdown(f"**{domain.summary()}**")
    if not domain.all_figures():
        continue
    bright, look = domain.with_reading("bright spot"), domain.with_reading("area to look at")
    cols = st.columns(2)
    with cols[0]:
        st.markdown("**Bright spots**")
        st.markdown("\n".join(f"- {f.headline()}" for f in bright) or "None this time.")
    with cols[1]:
        st.markdown("**Areas to look at**")
        st.markdown("\n".join(f"- {f.headline()}" for f in look) or "None this time.")
st.caption("Status codes: " + "; ".join(f"**{c}** {m}" for c, m in status_legend()) + ".")
