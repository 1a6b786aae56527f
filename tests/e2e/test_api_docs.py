"""In a real browser: a user makes an API token in the Desk, and the API's docs page renders with everything
loaded from this site and nothing refused by the Content-Security-Policy."""

import re

from ..conftest import PASSWORD


def test_a_token_from_the_desk_and_the_docs_under_the_csp(new_page, live_server, people, town):
    page = new_page()
    errors, elsewhere, missing = [], [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: None if r.url.startswith((live_server.url, "data:", "blob:"))
            else elsewhere.append(r.url))
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    page.goto("/login/")
    page.fill("#username", "staff")
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.goto("/tokens/")
    page.click("#create-mine")
    assert re.fullmatch(r"[0-9a-f]{40}", page.inner_text("#token-key"))

    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    page.wait_for_selector("text=/api/v1/ledger/")
    assert (elsewhere, missing) == ([], [])
    assert [e for e in errors if "Content Security Policy" in e] == []
