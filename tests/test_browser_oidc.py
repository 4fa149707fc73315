"""`RAG_AUTH=oidc` end to end in a real headless Chromium: Streamlit's own `st.login` against a real
OpenID Connect provider started here (`oidc-provider-mock`, on 127.0.0.1), configured through a
secrets file in tmp_path (`STREAMLIT_SECRETS_FILES`). An address listed in RAG_EDITORS becomes an
editor (upload form shown), anyone else a reader (no upload form)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port, wait_for_port
from tests.test_browser import AppServer, launch_chromium, shot, start_app, sync_api, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def server(
    hostile_store: Path, provider: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    work = tmp_path_factory.mktemp("browser-oidc")
    shutil.copytree(hostile_store, work / "store")
    port = free_port()
    secrets = work / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-of-enough-length"\n'
        'client_id = "council-assistant"\n'
        'client_secret = "test-client-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    app = start_app(
        work / "store",
        work / "uploads",
        work / "streamlit.log",
        port=port,
        RAG_AUTH="oidc",
        RAG_EDITORS="editor@example.nl",
        RAG_AUDIT=str(work / "audit.jsonl"),
        STREAMLIT_SECRETS_FILES=str(secrets),
    )
    try:
        yield app
    finally:
        app.stop()


@pytest.mark.parametrize(
    ("who", "role", "can_upload"),
    [("editor@example.nl", "redacteur", True), ("reader@example.nl", "lezer", False)],
)
def test_oidc_login_gives_the_role(
    server: AppServer, who: str, role: str, can_upload: bool
) -> None:
    with sync_api.sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.set_default_timeout(60_000)
        page.goto(server.url)
        page.get_by_role("button", name="Inloggen").click()
        page.locator("input[name='sub']").fill(who)  # the provider's own authorization form
        page.get_by_role("button", name="Authorize").click()
        wait_ready(page)
        sidebar = page.get_by_test_id("stSidebar")
        sync_api.expect(sidebar).to_contain_text("Ingelogd als")
        # The address reads as written; a word joiner keeps it from becoming a mailto: link.
        assert f"Ingelogd als {who} ({role})" in sidebar.inner_text().replace("\u2060", "")
        page.get_by_role("tab", name="Verslagen").click()
        page.wait_for_timeout(500)
        assert (page.locator("input[type='file']").count() == 1) is can_upload
        shot(page, f"oidc-{role}")
        browser.close()
