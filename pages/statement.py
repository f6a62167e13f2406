"""The annual "how we listen and respond" statement (data set 1a): the draft, the LA's own words,
and the downloads (HTML, PDF, Word; child-friendly HTML and PDF)."""
from datetime import date
from functools import partial

import streamlit as st

from dashboard import db, signin
from dashboard.statement import output, sidefile
from dashboard.ui import selection, url
from dashboard.ui import statement as view

st.title("Annual statement: how we listen and respond")
st.markdown("Data set 1a: each year the council publishes how it listens and responds to children and young "
            "people, with a child-friendly version. The draft below is made from what the dashboard holds; every "
            "figure has passed disclosure control. Add the council's own words, then download.")

person = signin.current()
choice = selection.current("No local authority has data yet.", icon=":material/info:")
this_year = date.today().year + (1 if date.today().month >= 4 else 0)
years = list(range(this_year, this_year - 6, -1))
year = url.choice(st.selectbox, "Reporting year (April to March)", years, key="statement_year", param="year",
                  default=choice.wave if choice.wave in years else years[0],
                  format_func=lambda y: f"{y} (April {y - 1} to March {y})")
db_file = db.db_path()

if person.may_write_statement:
    with st.expander("The council's own words for this year (admin)"):
        current = sidefile.la_text(db_file, choice.la_code, year)
        with st.form("statement_text"):
            texts = {f: st.text_area(label, value=current[f].value if f in current else "", key=f"text_{f}")
                     for f, label in sidefile.TEXT_FIELDS.items()}
            who = st.text_input("Your name and role (kept with the text)", key="statement_who", value=signin.signed_in_as(person))
            if st.form_submit_button("Save the council's words"):
                if not who.strip():
                    st.error("Say who you are: every change is kept with who made it and when.")
                else:
                    changed = [f for f, t in texts.items() if t != (current[f].value if f in current else "")]
                    for f in changed:
                        sidefile.save_text(db_file, choice.la_code, year, f, texts[f], who)
                    st.success(f"Saved {len(changed)} changed part(s)." if changed else "Nothing had changed.")
                    if changed:
                        st.rerun()
        for f, e in current.items():
            st.caption(f"{sidefile.TEXT_FIELDS[f]}: last written by {e.by} at {e.at}")
else:
    st.caption("Only an admin can write the council's own words for the statement (the roles file says who).")

full = view.document(choice.la_code, year, db_file, child_friendly=False)
child = view.document(choice.la_code, year, db_file, child_friendly=True)

st.header("Downloads")
# Each file is made when its button is pressed (the two PDFs took about 0.5 s of every visit), so showing
# the page never waits for five documents nobody may download.
left, right = st.columns(2)
with left:
    st.markdown("**The statement**")
    for suffix in (".html", ".pdf", ".docx"):
        st.download_button(f"Download the statement ({output.FORMATS[suffix]})", partial(view.rendered, full, suffix),
                           file_name=view.file_name(choice.la_code, year, suffix, False),
                           mime=view.MIME[suffix], key=f"statement{suffix}")
with right:
    st.markdown("**For children and young people**")
    for suffix in (".html", ".pdf"):
        st.download_button(f"Download the child-friendly version ({output.FORMATS[suffix]})", partial(view.rendered, child, suffix),
                           file_name=view.file_name(choice.la_code, year, suffix, True),
                           mime=view.MIME[suffix], key=f"child{suffix}")

draft, kids = st.tabs(["The statement (draft)", "Child-friendly version"])
with draft:
    view.show(full)
with kids:
    view.show(child)
