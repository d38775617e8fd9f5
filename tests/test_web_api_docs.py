"""/docs, its OAuth2 redirect and /redoc as served (tests/test_web_api_docs_browser.py runs them
in a browser with no internet): albumen's own pages over the vendored Swagger UI and ReDoc,
under a Content-Security-Policy that runs scripts from albumen only."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from albumen.web import STATIC


def _local_assets(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_docs_pages_use_only_vendored_assets(client: TestClient) -> None:
    for path, needed in (("/docs", "swagger-ui-bundle.js"),
                         ("/docs/oauth2-redirect", "oauth2-redirect.js"),
                         ("/redoc", "redoc.standalone.js")):
        page = client.get(path)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assets = _local_assets(page.text)
        assert any(needed in a for a in assets), assets
        for url in assets:
            assert url.startswith("/static/"), url  # no CDN
            got = client.get(url)
            assert got.status_code == 200 and got.content, url
        policy = page.headers["content-security-policy"]
        assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert "unsafe-eval" not in policy
        assert "<script>" not in page.text  # nothing inline that the policy would refuse
    assert 'data-openapi-url="/openapi.json"' in client.get("/docs").text
    assert 'data-oauth2-redirect-url="/docs/oauth2-redirect"' in client.get("/docs").text
    assert 'spec-url="/openapi.json"' in client.get("/redoc").text
    assert "fonts.googleapis.com" not in client.get("/redoc").text
    # Swagger UI sets no inline styles: /docs refuses them; ReDoc's styled-components need them.
    assert "style-src 'self';" in client.get("/docs").headers["content-security-policy"]
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]["password"][
        "tokenUrl"] == "/api/v1/auth/token"
    assert "/docs" not in spec["paths"] and "/redoc" not in spec["paths"]


def test_vendored_docs_assets_carry_their_licences() -> None:
    vendor = STATIC / "vendor"
    readme = (vendor / "README.md").read_text()
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "oauth2-redirect.js",
                 "redoc.standalone.js", "LICENSE.swagger-ui", "NOTICE.swagger-ui",
                 "LICENSE.redoc"):
        assert (vendor / name).stat().st_size > 0, name
    for package in ("swagger-ui-dist", "redoc"):
        assert f"| {package} |" in readme, package


def test_admin_page_links_to_the_api_docs(client: TestClient) -> None:
    from tests.conftest import ADMIN_PASSWORD

    client.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD})
    page = client.get("/admin", headers={"Authorization": ""}).text
    assert 'href="/docs"' in page and 'href="/redoc"' in page
