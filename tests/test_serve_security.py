"""`voice-dashboard serve` on the network's terms: the WebSocket refuses a foreign Host or Origin (DNS
rebinding, cross-site pages), /_stcore/metrics is off, and without sign-in it will not leave 127.0.0.1.
Against a real server started by `voice-dashboard serve`."""
from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from dashboard import serve
from tests.conftest import ROOT, run_cli

PORTS = range(8640, 8650)


def free_port() -> int:
    for port in PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 8640-8649")


@pytest.fixture(scope="module")
def server(kent_survey_db):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOICE_", "STREAMLIT_"))}
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--db", str(kent_survey_db), "--port",
                             str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT, env=env)
    try:
        assert serve.wait_until_healthy(url, proc, seconds=90), proc.stdout.read() if proc.poll() is not None else ""
        yield port
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def upgrade(port: int, host: str, origin: str | None) -> str:
    """A raw WebSocket upgrade to Streamlit's stream; the status line of the answer."""
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [f"GET /_stcore/stream HTTP/1.1", f"Host: {host}", "Upgrade: websocket", "Connection: Upgrade",
             f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
    if origin:
        lines.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(1024)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n")[0].decode()


def test_a_websocket_from_the_dashboards_own_page_is_accepted(server):
    assert " 101 " in upgrade(server, f"localhost:{server}", f"http://localhost:{server}")


def test_a_websocket_with_a_foreign_host_is_refused(server):
    status = upgrade(server, "evil.example", "http://evil.example")
    assert " 101 " not in status and " 403 " in status, status


def test_a_websocket_from_a_foreign_origin_is_refused(server):
    status = upgrade(server, f"localhost:{server}", "http://evil.example")
    assert " 101 " not in status and " 403 " in status, status


def test_the_metrics_endpoint_is_off(server):
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"http://127.0.0.1:{server}/_stcore/metrics", timeout=10)
    assert err.value.code == 404


def test_the_health_endpoint_still_answers(server):
    with urllib.request.urlopen(f"http://127.0.0.1:{server}/_stcore/health", timeout=10) as resp:
        assert resp.status == 200


def test_without_sign_in_serve_refuses_to_listen_on_the_network(kent_survey_db, monkeypatch, capsys):
    monkeypatch.setenv("STREAMLIT_SERVER_ADDRESS", "0.0.0.0")
    monkeypatch.delenv("VOICE_SECRETS", raising=False)
    assert run_cli("serve", "--db", kent_survey_db, "--port", 8659) == 2
    assert "local single-user mode" in capsys.readouterr().err


def test_a_secrets_file_without_an_auth_section_is_refused(kent_survey_db, tmp_path, capsys):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[other]\nx = 1\n', encoding="utf-8")
    assert run_cli("serve", "--db", kent_survey_db, "--port", 8659, "--secrets", secrets) == 2
    assert "has no [auth] section" in capsys.readouterr().err


def test_sign_in_without_a_roles_file_is_refused(kent_survey_db, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("VOICE_ROLES", raising=False)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\nredirect_uri = "http://localhost:8659/oauth2callback"\n', encoding="utf-8")
    assert run_cli("serve", "--db", kent_survey_db, "--port", 8659, "--secrets", secrets) == 2
    assert "no roles file" in capsys.readouterr().err


def test_streamlit_is_told_the_allowed_hosts_and_no_error_details():
    command = serve.streamlit_command(8600, serve.allowed_hosts("127.0.0.1", "dash.council.example"))
    hosts = [command[i + 1] for i, a in enumerate(command) if a == "--server.allowedHosts"]
    assert hosts == ["localhost", "127.0.0.1", "dash.council.example"]
    assert command[command.index("--client.showErrorDetails") + 1] == "none"
