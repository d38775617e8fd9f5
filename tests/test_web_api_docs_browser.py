"""The interactive API docs (/docs, Swagger UI) and ReDoc (/redoc) in a real browser with no
internet: every request to another host is refused, as on an offline installation. Their
scripts and styles are albumen's own (static/vendor), under a Content-Security-Policy that
runs scripts from albumen only; a refused script or style shows as a console error here
(tests/test_web_api_docs.py checks the pages and policies without a browser)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests import test_web_browser as wb
from tests.processes import wait_until

pytestmark = wb.pytestmark
browser = wb.browser  # the module's Chromium (a fixture)


def _offline(context: Any, base: str) -> list[str]:
    """Route the context's requests: albumen's own go through, everything else fails."""
    outside: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(base + "/"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort("internetdisconnected")

    context.route("**/*", route)
    return outside


def test_docs_and_redoc_render_offline_and_authorize(tmp_path: Path, browser: Any) -> None:
    with wb.serving(tmp_path) as base:
        httpx.post(f"{base}/api/v1/setup", json={"username": "admin",
                                                 "password": wb.PASSWORD}).raise_for_status()
        context = browser.new_context()
        outside = _offline(context, base)
        page = context.new_page()
        errors = wb.watch_errors(page)

        page.goto(f"{base}/docs")
        me = page.locator("#operations-auth-auth_me")  # tag, then the operation id
        assert wait_until(lambda: me.count(), 30), (errors, outside)
        assert page.locator(".opblock").count() > 5  # those in view (Swagger UI renders lazily)
        assert page.locator(".info .title").inner_text().startswith("albumen")
        # "Authorize": the OAuth2 password flow against /api/v1/auth/token, then a call with it.
        page.click("button.authorize")
        page.fill("#oauth_username", "admin")
        page.fill("#oauth_password", wb.PASSWORD)
        page.click(".auth-btn-wrapper button.authorize")
        page.get_by_role("button", name="Remove authorization").wait_for(timeout=10_000)
        page.click(".auth-btn-wrapper button.btn-done")
        me.locator(".opblock-summary").click()
        me.locator("button.try-out__btn").click()
        me.locator("button.execute").click()
        status = me.locator(".live-responses-table tbody .response-col_status").first
        status.wait_for(timeout=10_000)
        assert status.inner_text().strip() == "200"  # the bearer token went with the request
        assert '"username": "admin"' in me.locator(".live-responses-table").inner_text()
        wb.shot(page, "api-docs")

        page.goto(f"{base}/redoc")
        spec = httpx.get(f"{base}/openapi.json").json()
        operations = {o["operationId"] for ops in spec["paths"].values() for o in ops.values()}
        sections = page.locator("[data-section-id^='operation/']")

        def missing() -> set[str]:
            shown = sections.evaluate_all("els => els.map(e => e.dataset.sectionId)")
            return operations - {sid.split("/", 1)[1] for sid in shown}

        assert wait_until(lambda: not missing(), 30), (sorted(missing())[:20], errors, outside)
        assert "albumen" in page.locator("h1").first.inner_text()
        page.fill("input[placeholder='Search...']", "duplicates")  # its index, in a worker
        results = page.locator("[data-role='search:results']")
        assert wait_until(lambda: "Near Duplicates" in (results.all_inner_texts() or [""])[0],
                          10), errors
        wb.shot(page, "redoc")

        assert outside == [], outside
        # ReDoc's sidebar credit shows Redocly's logo from their CDN, which the policy refuses
        # (so it is never asked for); ReDoc then leaves the logo out by itself.
        logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
        assert [e for e in errors if logo not in e] == [], errors
        context.close()
