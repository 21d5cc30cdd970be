"""Issue #9's "done when" on a real ``tenure serve`` (a fresh directory, SQLite, the demo vendor):
the API call that cancels a contract is followed within seconds by the § 312k(4) confirmation
at an SMTP server on loopback (``TENURE_SMTP_URL``), and the demo invoice's PDF downloads,
renders to PNG with poppler's pdftoppm and carries the Factur-X XML."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from facturx import get_xml_from_pdf

from tests.entrypoints.served import tenure_serve
from tests.mailserver import Mailbox, smtp_server

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str, Mailbox, list[str]]]:
    """``tenure serve`` sending mail to a loopback SMTP server: URL, key, mailbox, its output."""
    with (
        smtp_server() as (mailbox, smtp_url),
        tenure_serve(tmp_path, {"TENURE_SMTP_URL": smtp_url}) as server,
    ):
        yield server.url, server.key, mailbox, server.printed


def test_the_cancellation_confirmation_arrives_within_seconds(
    served: tuple[str, str, Mailbox, list[str]],
) -> None:
    url, key, mailbox, printed = served
    assert any(line.startswith("e-mail: SMTP smtp+insecure://127.0.0.1:") for line in printed)
    auth = {"Authorization": f"Bearer {key}"}
    customer = httpx.post(
        f"{url}/v1/customers",
        headers=auth,
        json={
            "name": "Kündig GmbH",
            "country": "DE",
            "email": "kuendigung@kunde.example",
            "address": "Kündigungsweg 1, 10115 Berlin",
        },
    ).json()
    contract = httpx.post(
        f"{url}/v1/contracts", headers=auth, json={"customer": customer["id"], "plan": "business"}
    ).json()
    before = len(mailbox.messages)
    cancelled = httpx.post(
        f"{url}/v1/contracts/{contract['id']}/cancellations",
        headers=auth,
        json={"kind": "ordinary"},
    )
    assert cancelled.status_code == 201, cancelled.text
    # A guard, not a benchmark: the bus runs every second, the mail worker every half second.
    deadline = time.monotonic() + 20
    while not any(
        "kuendigung@kunde.example" in str(m["To"]) and "Kündigung" in str(m["Subject"])
        for m in mailbox.messages[before:]
    ):
        assert time.monotonic() < deadline, [str(m["Subject"]) for m in mailbox.messages]
        time.sleep(0.1)


def test_the_demo_invoice_pdf_downloads_and_renders(
    served: tuple[str, str, Mailbox, list[str]], tmp_path: Path
) -> None:
    url, key, _, _ = served
    auth = {"Authorization": f"Bearer {key}"}
    (first, *_) = httpx.get(f"{url}/v1/invoices", headers=auth).json()["data"]
    response = httpx.get(f"{url}/v1/invoices/{first['id']}/pdf", headers=auth, timeout=60)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    filename, xml = get_xml_from_pdf(io.BytesIO(response.content), check_xsd=True)
    assert filename == "factur-x.xml"
    assert first["id"].encode() in xml
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian package poppler-utils) is not installed")
    pdf = tmp_path / "invoice.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    assert png.stat().st_size > 5_000  # a page with text, not a blank one
