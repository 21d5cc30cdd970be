"""The interactive docs load nothing from other hosts (issue #15, point 13): ``/docs`` (Swagger
UI) and ``/redoc`` reference only this server's own paths, and those assets are served."""

from __future__ import annotations

import re

import pytest

from tests.api.test_api import Api

URL = re.compile(r"""(?:src|href|url)\s*[=:(]\s*['"]([^'"]+)['"]""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_pages_load_their_assets_from_this_server(api: Api, page: str) -> None:
    response = api.client.get(page)
    assert response.status_code == 200
    html = response.text

    assert re.findall(r"(?:https?:)?//[\w.-]+\.\w+", html) == []  # no other host at all
    assets = URL.findall(html)
    assert any(a.endswith(".js") for a in assets), assets
    for asset in assets:
        assert asset.startswith("/"), asset
        served = api.client.get(asset)
        assert served.status_code == 200, asset
        assert len(served.content) > 100, asset
