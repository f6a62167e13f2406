"""Sign-in end to end: Chromium, `voice-dashboard serve` with a generated secrets file and roles file, and a
real OpenID Connect provider (oidc-provider-mock) started by the test on loopback. Sign in, see your role's
pages, sign out."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
import yaml
from playwright.sync_api import expect

from dashboard import audit_log
from dashboard.serve import wait_until_healthy
from dashboard.ui.safe import JOINER
from tests.browser.conftest import voice_dashboard_command
from tests.conftest import ROOT, copy_db

OIDC_PORT, DASHBOARD_PORT = 8641, 8642
KENT = "E10000016"
PEOPLE = {"lee": "lee.leader@council.example", "yas": "yas.young@council.example"}   # synthetic people


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    from oidc_provider_mock import User, run_server_in_thread

    users = [User(sub=sub, claims={"email": email, "email_verified": True}) for sub, email in PEOPLE.items()]
    with run_server_in_thread(port=OIDC_PORT, user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def signed_server(provider, kent_survey_db, tmp_path_factory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("sign_in")
    db = copy_db(kent_survey_db, folder)
    url = f"http://localhost:{DASHBOARD_PORT}"
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "voice-dashboard"\n'
        'client_secret = "synthetic-client-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n', encoding="utf-8")
    roles = folder / "roles.yaml"
    roles.write_text(yaml.safe_dump({"people": [
        {"email": PEOPLE["lee"], "role": "leader", "las": [KENT]},
        {"email": PEOPLE["yas"], "role": "young_inspector", "las": [KENT]}]}), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOICE_", "STREAMLIT_"))}
    env["STREAMLIT_SERVER_FILE_WATCHER_TYPE"] = "none"
    log = folder / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([*voice_dashboard_command(), "serve", "--db", str(db), "--port", str(DASHBOARD_PORT),
                                 "--secrets", str(secrets_file), "--roles", str(roles)],
                                stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    try:
        if not wait_until_healthy(url, proc, seconds=90):
            pytest.fail(f"the dashboard did not answer:\n{log.read_text()}")
        yield url, db
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


def sign_in(page, url: str, sub: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=sub, exact=True).click()    # the provider's own page: a predefined user
    page.wait_for_url(f"{url}/**")


def sidebar_links(page):
    return page.get_by_test_id("stSidebar").get_by_test_id("stPageLink")


def test_a_leader_signs_in_sees_their_pages_and_signs_out(page, provider, signed_server):
    url, db = signed_server
    sign_in(page, url, "lee")
    sidebar = page.get_by_test_id("stSidebar")
    signed = sidebar.get_by_text("Signed in as")
    expect(signed).to_be_visible()
    assert signed.inner_text().replace(JOINER, "") == f"Signed in as {PEOPLE['lee']} (leader)"
    expect(sidebar_links(page)).to_have_count(13)   # every page: a leader's role has them all
    expect(sidebar.get_by_role("link", name="Overview")).to_be_visible()
    expect(page.get_by_text("Local single-user mode")).to_have_count(0)
    sidebar.get_by_role("button", name="Sign out").click()
    # Wait for the provider's page itself: the dashboard's own sign-in screen can show for a moment before
    # the redirect to the provider, and a navigation started then is cut short by that redirect (CI, stop 18).
    page.wait_for_url(f"{provider}/oauth2/end_session**")
    page.get_by_role("button", name="End session").click()     # the provider asks to confirm
    page.wait_for_url(f"{url}/**")
    page.goto(url)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(sidebar_links(page)).to_have_count(0)
    events = [(e.who, e.event) for e in audit_log.entries(db)]
    assert (PEOPLE["lee"], "sign_in") in events and (PEOPLE["lee"], "sign_out") in events


def test_a_young_inspector_sees_only_their_page(page, signed_server):
    url, _ = signed_server
    sign_in(page, url, "yas")
    expect(page.get_by_role("heading", name="What young people told us")).to_be_visible()
    expect(sidebar_links(page)).to_have_count(1)
    expect(page.get_by_test_id("stSidebar").get_by_role("link", name="Young inspectors")).to_be_visible()
