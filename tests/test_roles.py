"""Sign-in and roles in Streamlit's AppTest: which pages, which LAs and what detail each role sees, the
sign-in and no-access pages, local single-user mode, and the audit log of sign-ins."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from dashboard import audit_log, auth
from dashboard.problems import UserError
from dashboard.ui.safe import JOINER
from tests.conftest import ROOT, copy_db

APP = ROOT / "dashboard" / "app.py"
BARNET, BIRMINGHAM, HACKNEY = "E09000003", "E08000025", "E09000012"
# Synthetic people only.
PEOPLE = [
    {"email": "lee.leader@council.example", "role": "leader", "las": [BARNET, HACKNEY]},
    {"email": "pat.panel@council.example", "role": "panel", "las": [BARNET]},
    {"email": "pip.participation@council.example", "role": "participation", "las": [BIRMINGHAM]},
    {"email": "yas.young@council.example", "role": "young_inspector", "las": [BARNET]},
    {"email": "ana.analyst@council.example", "role": "analyst", "las": "all"},
    {"email": "ada.admin@council.example", "role": "admin", "las": "all"},
]
EVERY_PAGE = ["Start", "Overview", "Well-being domains", "DfE metrics", "You said, we did", "Participation in reviews",
              "Feedback from direct work", "Themes", "How we listen", "Annual statement (1a)", "Panel report",
              "Young inspectors", "Data and methods"]
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "synthetic-test-secret-0123456789",
        "client_id": "dashboard", "client_secret": "synthetic", "server_metadata_url":
        "http://127.0.0.1:9/.well-known/openid-configuration"}

pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")


@pytest.fixture(scope="module")
def site(demo_db, tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the demo database (the audit log is written beside it) and a roles file."""
    folder = tmp_path_factory.mktemp("roles")
    roles = folder / "roles.yaml"
    roles.write_text(yaml.safe_dump({"people": PEOPLE}), encoding="utf-8")
    return copy_db(demo_db, folder), roles


def signed_in(monkeypatch, site, email: str | None, page: str | None = None) -> AppTest:
    db, roles = site
    monkeypatch.setenv("VOICE_DB", str(db))
    monkeypatch.setenv("VOICE_ROLES", str(roles))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email} if email else {"is_logged_in": False}
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def links(at: AppTest) -> list[str]:
    return [p.value for p in at.sidebar.page_link]


def la_choices(at: AppTest) -> list[str]:
    return list(at.sidebar.selectbox(key="sel_la").options)


# -- the roles file ---------------------------------------------------------------------------------

def test_the_roles_file_is_read_by_email(site):
    people = auth.read_roles(site[1])
    assert auth.find(people, "Pat.Panel@Council.example") == auth.Person("pat.panel@council.example", "panel",
                                                                         frozenset({BARNET}))


def test_a_roles_file_with_an_unknown_role_names_the_person(tmp_path):
    bad = tmp_path / "roles.yaml"
    bad.write_text("people:\n  - {email: a@b.example, role: boss, las: all}\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"person 1: role 'boss' is not one of leader"):
        auth.read_roles(bad)


def test_a_roles_file_with_a_bad_la_code_names_the_person(tmp_path):
    bad = tmp_path / "roles.yaml"
    bad.write_text("people:\n  - {email: a@b.example, role: panel, las: [886]}\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"person 1: las \[886\] should be a list of LA codes"):
        auth.read_roles(bad)


def test_a_roles_file_granting_an_la_code_that_is_no_la_names_the_person(tmp_path):
    """A typo such as E10000061 for Kent's E10000016 is a well-formed code of no LA: the person
    would see nothing, and serve would start without a word. It is a mistake like any other."""
    bad = tmp_path / "roles.yaml"
    bad.write_text("people:\n  - {email: a@b.example, role: panel, las: [E09000003, E10000061]}\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"person 1: las: E10000061 is not the code of an English local authority"):
        auth.read_roles(bad)


def test_a_retired_la_can_still_be_granted(tmp_path):
    """Cumbria (E10000006) ended in 2023; its past data is still loaded and shown."""
    ok = tmp_path / "roles.yaml"
    ok.write_text("people:\n  - {email: a@b.example, role: panel, las: [E10000006]}\n", encoding="utf-8")
    assert auth.read_roles(ok)["a@b.example"].las == frozenset({"E10000006"})


# -- pages by role ----------------------------------------------------------------------------------

@pytest.mark.parametrize("email,pages", [
    ("lee.leader@council.example", EVERY_PAGE),
    ("ana.analyst@council.example", EVERY_PAGE),
    ("ada.admin@council.example", EVERY_PAGE),
    ("pat.panel@council.example", ["Start", "Overview", "Well-being domains", "You said, we did", "Panel report",
                                   "Young inspectors", "Data and methods"]),
    ("pip.participation@council.example", ["Start", "You said, we did", "Participation in reviews",
                                           "Feedback from direct work", "Themes", "How we listen",
                                           "Annual statement (1a)", "Young inspectors", "Data and methods"]),
    ("yas.young@council.example", ["Young inspectors"]),
])
def test_each_role_sees_its_pages(monkeypatch, site, email, pages):
    assert links(signed_in(monkeypatch, site, email)) == pages


def test_a_young_inspector_lands_on_their_page(monkeypatch, site):
    at = signed_in(monkeypatch, site, "yas.young@council.example")
    assert [t.value for t in at.title] == ["What young people told us"]


def test_a_young_inspector_cannot_open_another_page(monkeypatch, site):
    at = signed_in(monkeypatch, site, "yas.young@council.example")
    with pytest.raises(ValueError, match="not a registered page|registered"):
        at.switch_page("../pages/overview.py")


# -- LAs by person ----------------------------------------------------------------------------------

def test_a_person_is_offered_only_their_las(monkeypatch, site):
    assert la_choices(signed_in(monkeypatch, site, "lee.leader@council.example")) == ["Barnet", "Hackney"]


def test_the_start_page_lists_only_the_las_granted(monkeypatch, site):
    at = signed_in(monkeypatch, site, "lee.leader@council.example")
    las = next(d.value for d in at.dataframe if "Local authority" in d.value.columns)
    assert las["Local authority"].to_list() == ["Barnet", "Hackney"]


def test_the_start_page_names_no_other_la_in_the_survey_waves(monkeypatch, site):
    at = signed_in(monkeypatch, site, "lee.leader@council.example")
    waves = next(d.value for d in at.dataframe if "Wave" in d.value.columns)
    assert "Birmingham" not in waves.to_csv() and "Which" not in waves.columns


def test_a_person_with_every_la_is_offered_them_all(monkeypatch, site):
    assert len(la_choices(signed_in(monkeypatch, site, "ana.analyst@council.example"))) > 2


def test_a_link_to_an_la_not_granted_shows_a_message_not_the_la(monkeypatch, site):
    db, roles = site
    monkeypatch.setenv("VOICE_DB", str(db))
    monkeypatch.setenv("VOICE_ROLES", str(roles))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "pat.panel@council.example"}
    at.query_params["la"] = BIRMINGHAM
    at.run()
    assert at.sidebar.selectbox(key="sel_la").value == BARNET
    assert "have not been given access" in "\n".join(w.value for w in at.warning)


# -- detail for admin only --------------------------------------------------------------------------

def test_admin_sees_the_load_history(monkeypatch, site):
    at = signed_in(monkeypatch, site, "ada.admin@council.example", "../pages/data_and_methods.py")
    assert "Load history" in [h.value for h in at.header]


@pytest.mark.parametrize("email", ["lee.leader@council.example", "ana.analyst@council.example",
                                   "pat.panel@council.example", "pip.participation@council.example"])
def test_no_one_else_sees_the_load_history(monkeypatch, site, email):
    at = signed_in(monkeypatch, site, email, "../pages/data_and_methods.py")
    assert "Load history" not in [h.value for h in at.header]
    assert not any("SYNTHETIC_" in str(d.value.to_csv()) for d in at.dataframe)   # no file names


# -- signing in ---------------------------------------------------------------------------------------

def test_without_signing_in_only_the_sign_in_page_shows(monkeypatch, site):
    at = signed_in(monkeypatch, site, None)
    assert [t.value for t in at.title] == ["Sign in"]
    assert [b.label for b in at.button] == ["Sign in"]
    assert links(at) == [] and not at.dataframe


def test_a_person_not_in_the_roles_file_sees_no_access(monkeypatch, site):
    at = signed_in(monkeypatch, site, "stranger@elsewhere.example")
    assert [t.value for t in at.title] == ["You do not have access yet"]
    assert links(at) == [] and not at.dataframe


def test_signing_in_is_written_to_the_audit_log(monkeypatch, site):
    signed_in(monkeypatch, site, "pat.panel@council.example")
    entries = [e for e in audit_log.entries(site[0]) if e.who == "pat.panel@council.example"]
    assert [(e.role, e.event) for e in entries][-1] == ("panel", "sign_in")


def test_a_refused_sign_in_is_written_to_the_audit_log(monkeypatch, site):
    signed_in(monkeypatch, site, "visitor@elsewhere.example")
    entries = [e for e in audit_log.entries(site[0]) if e.who == "visitor@elsewhere.example"]
    assert [(e.event, e.what) for e in entries] == [("refused", "not in the roles file")]


def test_the_signed_in_person_is_named_with_a_sign_out_button(monkeypatch, site):
    at = signed_in(monkeypatch, site, "pat.panel@council.example")
    assert "Signed in as pat.panel\\@council.example (panel)" in [c.value.replace(JOINER, "") for c in at.sidebar.caption]
    assert "Sign out" in [b.label for b in at.sidebar.button]


# -- local single-user mode ---------------------------------------------------------------------------

def test_without_sign_in_configured_the_app_says_local_single_user_mode(monkeypatch, site):
    monkeypatch.setenv("VOICE_DB", str(site[0]))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert any("Local single-user mode" in i.value for i in at.info)
    assert links(at) == EVERY_PAGE


def test_the_audit_log_keeps_who_what_and_when(tmp_path):
    db = tmp_path / "x.duckdb"
    audit_log.record(db, "ada.admin@council.example", "admin", "download", "themes_E09000003.csv")
    [entry] = audit_log.entries(db)
    assert (entry.who, entry.role, entry.event, entry.what) == ("ada.admin@council.example", "admin", "download",
                                                               "themes_E09000003.csv")
    assert entry.at.endswith("+00:00")


# -- who may write what (data set 1a) -----------------------------------------------------------------

def test_a_participation_lead_answers_the_self_assessment_as_themselves(monkeypatch, site):
    at = signed_in(monkeypatch, site, "pip.participation@council.example", "../pages/listening.py")
    assert at.text_input(key="lundy_who").value == "pip.participation@council.example (participation)"


def test_only_an_admin_writes_the_councils_words_in_the_statement(monkeypatch, site):
    lead = signed_in(monkeypatch, site, "pip.participation@council.example", "../pages/statement.py")
    assert "statement_who" not in [t.key for t in lead.text_input]
    assert any("Only an admin can write the council's own words" in c.value for c in lead.caption)
    admin = signed_in(monkeypatch, site, "ada.admin@council.example", "../pages/statement.py")
    assert admin.text_input(key="statement_who").value == "ada.admin@council.example (admin)"


def test_a_leader_reads_the_self_assessment_but_does_not_answer_it(monkeypatch, site):
    at = signed_in(monkeypatch, site, "lee.leader@council.example", "../pages/listening.py")
    assert "lundy_who" not in [t.key for t in at.text_input]
    assert any("Only an admin or a participation lead" in c.value for c in at.caption)
