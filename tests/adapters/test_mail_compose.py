"""The composed message (issue #9): MIME structure and headers, the sandbox marking, header
injection refused, user text escaped in HTML, a context that misses or mistypes a key refused,
and the variants of the templates (extraordinary termination under review, an end later than
requested, winter time, a withdrawal already invoiced, a contract withdrawn before or after its
first invoice, …)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from email import policy
from email.parser import BytesParser

import pytest

from tenure.adapters.mail.compose import TemplateComposer
from tenure.adapters.mail.formats import LANGUAGES
from tenure.services.mail import TEMPLATES, Attachment

from .mail_samples import PDF, XML, D, outgoing, with_mail
from .test_mail_templates import parse_html, parts, table_rows


@pytest.fixture(scope="module")
def composer() -> TemplateComposer:
    return TemplateComposer()


def test_an_invoice_is_mixed_with_the_alternative_first_and_pdf_and_xml_attached(
    composer: TemplateComposer,
) -> None:
    message = composer.compose(outgoing("invoice_issued", "de"))

    assert message.get_content_type() == "multipart/mixed"
    alternative, pdf, xml = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    text, page = alternative.iter_parts()
    assert (text.get_content_type(), text.get_content_charset()) == ("text/plain", "utf-8")
    assert (page.get_content_type(), page.get_content_charset()) == ("text/html", "utf-8")
    for part, attachment in ((pdf, PDF), (xml, XML)):
        assert part.get_content_type() == attachment.content_type
        assert part.get_content_disposition() == "attachment"
        assert part.get_filename() == attachment.filename
        assert part.get_content() == attachment.data
    assert str(message).count("MIME-Version") == 1


def test_a_message_without_attachments_is_just_the_alternative(
    composer: TemplateComposer,
) -> None:
    message = composer.compose(outgoing("cancellation_confirmation", "de"))

    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]


def test_headers(composer: TemplateComposer) -> None:
    message = composer.compose(outgoing("cancellation_confirmation", "de"))

    assert message["From"] == "CloudCRM GmbH <rechnung@cloudcrm.example>"
    assert message["To"] == "buchhaltung@muster-soehne.de"
    assert message["Reply-To"] == "support@cloudcrm.example"
    assert message["Date"] == "Fri, 17 Apr 2026 14:03:27 +0200"  # sent_at, in Berlin time
    assert message["Message-ID"] == "<em_01HZX4Q7@tenure.invalid>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == "de"


def test_no_reply_to_when_none_is_given(composer: TemplateComposer) -> None:
    message = composer.compose(with_mail(outgoing("contract_ended"), reply_to=None))

    assert "Reply-To" not in message


def test_a_message_survives_the_wire_in_chinese(composer: TemplateComposer) -> None:
    mail = with_mail(outgoing("invoice_issued", "zh"), sender_name="云客户 Müller & Co. KG")
    sent = composer.compose(mail)

    received = BytesParser(policy=policy.default).parsebytes(sent.as_bytes(policy=policy.SMTP))

    assert received["Subject"] == "您的发票 RE-2026-000042"
    assert received["From"].addresses[0].display_name == "云客户 Müller & Co. KG"
    assert [p.replace("\r\n", "\n") for p in parts(received)] == list(parts(sent))
    assert max(len(line) for line in sent.as_bytes().splitlines()) <= 998


def test_a_sandbox_mail_is_marked_test_in_subject_and_body(composer: TemplateComposer) -> None:
    message = composer.compose(outgoing("invoice_issued", "de", livemode=False))

    text, page = parts(message)
    assert message["Subject"] == "[TEST] Ihre Rechnung RE-2026-000042"
    assert text.startswith("[TEST] Dies ist eine Test-E-Mail aus dem Testmodus")
    assert "<strong>[TEST]</strong> Dies ist eine Test-E-Mail" in page


@pytest.mark.parametrize(
    "change",
    [
        {"to": "kunde@example.org\r\nBcc: alle@example.org"},
        {"to": "kunde@example.org\nBcc: alle@example.org"},
        {"sender": "rechnung@cloudcrm.example\nBcc: x@example.org"},
        {"sender_name": "CloudCRM\r\nBcc: x@example.org"},
        {"reply_to": "support@cloudcrm.example\nBcc: x@example.org"},
        {"message_id": "<em_1@tenure.invalid>\r\nBcc: x@example.org"},
        {"attachments": (Attachment("a\r\nb.pdf", "application/pdf", b"%PDF"),)},
        {"attachments": (Attachment("a.pdf", "application/pdf\nX-Evil: 1", b"%PDF"),)},
    ],
)
def test_line_breaks_in_header_values_are_refused(
    composer: TemplateComposer, change: dict[str, object]
) -> None:
    with pytest.raises(ValueError, match=r"line break|invalid|content type"):
        composer.compose(with_mail(outgoing("invoice_issued"), **change))


def test_a_line_break_that_would_reach_the_subject_is_refused(
    composer: TemplateComposer,
) -> None:
    mail = outgoing("contract_ended", plan_name="Business\r\nBcc: alle@example.org")

    with pytest.raises(ValueError, match="subject must not contain line breaks"):
        composer.compose(mail)


@pytest.mark.parametrize("bad", ["kunde", "kunde@example.org, boss@example.org", "<x@y>"])
def test_to_must_be_one_address(composer: TemplateComposer, bad: str) -> None:
    with pytest.raises(ValueError):
        composer.compose(with_mail(outgoing("contract_ended"), to=bad))


def test_message_id_must_look_like_one(composer: TemplateComposer) -> None:
    with pytest.raises(ValueError, match="message_id"):
        composer.compose(with_mail(outgoing("contract_ended"), message_id="em_1"))


@pytest.mark.parametrize("template", TEMPLATES)
def test_user_text_is_escaped_in_html(composer: TemplateComposer, template: str) -> None:
    message = composer.compose(outgoing(template, "en", customer_name="<b>Evil</b> & Co"))

    text, page = parts(message)
    parse_html(page)
    assert "<b>Evil</b> & Co" in text
    assert "<b>Evil" not in page
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in page


def test_a_multi_line_reason_keeps_its_lines_and_is_escaped(composer: TemplateComposer) -> None:
    reason = '<script>alert("x")</script>\nZweite Zeile'
    text, page = parts(composer.compose(outgoing("cancellation_rejected", reason=reason)))

    assert '> <script>alert("x")</script>\n> Zweite Zeile\n' in text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;<br />\nZweite Zeile" in page


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"unit_price": 5.9}, "unit_price: float, expected Decimal"),
        ({"booked_on": datetime(2026, 4, 3, tzinfo=UTC)}, "booked_on: datetime, expected date"),
        ({"quantity": True}, "quantity: bool, expected int"),
        ({"sent_at": datetime(2026, 4, 17, 12, 3)}, "sent_at: a naive datetime"),
        ({"vendor_email": None, "customer_id": None}, "customer_id: NoneType, expected str"),
    ],
)
def test_a_mistyped_context_value_is_refused(
    composer: TemplateComposer, overrides: dict[str, object], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        composer.compose(outgoing("addon_booking_confirmation", **overrides))


def test_the_kind_of_termination_is_one_of_two(composer: TemplateComposer) -> None:
    with pytest.raises(ValueError, match="kind: 'fristlos', expected one of"):
        composer.compose(outgoing("cancellation_confirmation", kind="fristlos"))


def test_a_missing_context_key_is_named(composer: TemplateComposer) -> None:
    mail = outgoing("cancellation_confirmation")
    context = {k: v for k, v in mail.context.items() if k not in ("received_at", "timezone")}

    with pytest.raises(ValueError, match="timezone: missing; received_at: missing"):
        composer.compose(with_mail(mail, context=context))


def test_unknown_template_and_locale_are_refused(composer: TemplateComposer) -> None:
    with pytest.raises(ValueError, match="unknown template 'dunning_letter'"):
        composer.compose(with_mail(outgoing("contract_ended"), template="dunning_letter"))
    with pytest.raises(ValueError, match="no e-mail texts in locale 'fr'"):
        composer.compose(with_mail(outgoing("contract_ended"), locale="fr"))


@pytest.mark.parametrize(("locale", "language"), [("de-DE", "de"), ("zh_Hans_CN", "zh-Hans")])
def test_a_regional_locale_uses_its_language(
    composer: TemplateComposer, locale: str, language: str
) -> None:
    message = composer.compose(outgoing("contract_ended", locale))

    assert message["Content-Language"] == language


def test_an_extraordinary_termination_under_review(composer: TemplateComposer) -> None:
    mail = outgoing(
        "cancellation_confirmation",
        kind="extraordinary",
        reason="Der Dienst ist seit drei Wochen nicht erreichbar.",
        requested_end=D("2026-04-30"),
        effective_end=None,
    )
    message = composer.compose(mail)

    text, _ = parts(message)
    assert message["Subject"] == (
        "Eingangsbestätigung Ihrer außerordentlichen Kündigung: CloudCRM Business"
    )
    assert "Art der Kündigung: Außerordentliche Kündigung aus wichtigem Grund\n" in text
    assert "Grund: Der Dienst ist seit drei Wochen nicht erreichbar.\n" in text
    assert "Gewünschtes Vertragsende: 30.04.2026\n" in text
    assert "Wir prüfen Ihre außerordentliche Kündigung" in text
    assert "Ihr Vertrag endet" not in text


def test_an_end_later_than_requested_is_explained(composer: TemplateComposer) -> None:
    mail = outgoing("cancellation_confirmation", requested_end=D("2026-05-31"))
    text, _ = parts(composer.compose(mail))

    assert "Gewünschtes Vertragsende: 31.05.2026\n" in text
    assert "Zu Ihrem Wunschtermin (31.05.2026) kann der Vertrag nach seinen Bedingungen" in text
    assert "Ihr Vertrag endet zum 30.06.2026." in text


def test_an_ordinary_cancellation_on_the_requested_day_needs_no_explanation(
    composer: TemplateComposer,
) -> None:
    mail = outgoing("cancellation_confirmation", requested_end=D("2026-06-30"))
    text, _ = parts(composer.compose(mail))

    assert "Wunschtermin" not in text


def test_the_receipt_time_in_winter_is_mez(composer: TemplateComposer) -> None:
    received = datetime(2026, 1, 15, 9, 30, 5, tzinfo=UTC)
    text, _ = parts(composer.compose(outgoing("cancellation_confirmation", received_at=received)))

    assert "Eingegangen am: 15.01.2026, 10:30 Uhr (MEZ)\n" in text


def test_a_withdrawal_already_invoiced_names_the_credit_note(composer: TemplateComposer) -> None:
    mail = outgoing("withdrawal_confirmation", credit_note="KR-2026-000003", net_amounts=True)
    text, _ = parts(composer.compose(mail))

    assert (
        "Den bereits abgerechneten Betrag von 5,71\u00a0€ zzgl. USt. schreiben wir Ihnen mit "
        "der Rechnungskorrektur KR-2026-000003 gut." in text
    )
    assert "Sammelrechnung" not in text


def test_a_withdrawal_without_an_amount(composer: TemplateComposer) -> None:
    text, _ = parts(composer.compose(outgoing("withdrawal_confirmation", amount=None)))

    assert "Für diese Buchung wird Ihnen nichts berechnet." in text


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "de",
            "Zu diesem Vertrag erhalten Sie keine weiteren Rechnungen. Da bisher nichts "
            "abgerechnet wurde, wird Ihnen auch nichts berechnet.",
        ),
        (
            "en",
            "No further invoices will be issued under this contract. Nothing had been invoiced "
            "under it, so you will not be charged anything.",
        ),
        ("zh", "我们不会再就本合同向您开具任何发票。由于此前尚未开票，您无需支付任何费用。"),
    ],
)
def test_a_contract_withdrawal_before_any_invoice(
    composer: TemplateComposer, locale: str, expected: str
) -> None:
    mail = outgoing("contract_withdrawal_confirmation", locale, credit_notes=(), amount=None)
    text, page = parts(composer.compose(mail))

    assert expected in text
    assert "KR-" not in text + page
    assert {"Betrag zu Ihren Gunsten", "Amount in your favour", "应退还您的金额"}.isdisjoint(
        table_rows(page)
    )


def test_a_contract_withdrawal_credited_by_several_corrective_invoices(
    composer: TemplateComposer,
) -> None:
    numbers = ("KR-2026-000008", "KR-2026-000009")
    total = Decimal("-53.55")  # the credit notes' gross total, negative as on the documents
    mail = outgoing("contract_withdrawal_confirmation", credit_notes=numbers, amount=total)
    text, _ = parts(composer.compose(mail))

    assert "Ausgestellte Rechnungskorrekturen: KR-2026-000008, KR-2026-000009\n" in text
    assert "Betrag zu Ihren Gunsten: 53,55\u00a0€\n" in text
    assert (
        "Den bereits abgerechneten Betrag von 53,55\u00a0€ schreiben wir Ihnen mit den "
        "Rechnungskorrekturen KR-2026-000008, KR-2026-000009 in voller Höhe gut." in text
    )


def test_a_contract_withdrawal_credited_without_an_amount(composer: TemplateComposer) -> None:
    mail = outgoing("contract_withdrawal_confirmation", "en", amount=None)
    text, page = parts(composer.compose(mail))

    assert (
        "Everything already invoiced is credited to you in full with the corrective invoice "
        "KR-2026-000008." in text
    )
    assert "Amounts you have already paid will be refunded to you" in text
    assert "Amount in your favour" not in table_rows(page)


@pytest.mark.parametrize(
    ("credit_notes", "problem"),
    [
        (["KR-2026-000008"], "credit_notes: list, expected tuple"),
        (("KR-2026-000008", 9), "credit_notes: an item of type int, expected str items"),
        ("KR-2026-000008", "credit_notes: str, expected tuple"),
    ],
)
def test_credit_notes_are_a_tuple_of_numbers(
    composer: TemplateComposer, credit_notes: object, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        composer.compose(outgoing("contract_withdrawal_confirmation", credit_notes=credit_notes))


def test_net_amounts_may_be_left_out(composer: TemplateComposer) -> None:
    mail = outgoing("addon_booking_confirmation")
    context = {k: v for k, v in mail.context.items() if k != "net_amounts"}
    text, _ = parts(composer.compose(with_mail(mail, context=context)))

    assert "Anteiliger Betrag: 5,71\u00a0€ zzgl. USt.\n" in text  # tenure's amounts are net


def test_an_unknown_time_zone_is_refused(composer: TemplateComposer) -> None:
    with pytest.raises(ValueError, match="'Mars/Olympus' is not an IANA time zone"):
        composer.compose(outgoing("contract_ended", timezone="Mars/Olympus"))


def test_a_booking_at_the_period_start_without_withdrawal(composer: TemplateComposer) -> None:
    mail = outgoing("addon_booking_confirmation", prorated_amount=None, withdrawal_last_day=None)
    text, _ = parts(composer.compose(mail))

    assert (
        "Die Zusatzoption wird ab Ihrer nächsten regulären Abo-Rechnung (Sammelrechnung) am "
        "18.04.2026 berechnet." in text
    )
    assert "Widerruf" not in text
    assert "Anteiliger Betrag" not in text


def test_net_prices_of_a_business_read_plus_vat(composer: TemplateComposer) -> None:
    text, _ = parts(composer.compose(outgoing("addon_booking_confirmation", net_amounts=True)))

    assert "Preis: 5,90\u00a0€ je Einheit und Abrechnungszeitraum zzgl. USt.\n" in text
    assert "Anteiliger Betrag: 5,71\u00a0€ zzgl. USt.\n" in text


def test_an_invoice_with_only_a_pdf_and_no_due_date(composer: TemplateComposer) -> None:
    mail = with_mail(outgoing("invoice_issued", due_date=None), attachments=(PDF,))
    text, _ = parts(composer.compose(mail))

    assert "Die Rechnung finden Sie im Anhang als PDF.\n" in text
    assert "Fällig am" not in text
    assert "XRechnung" not in text


def test_a_credit_note_without_its_invoice(composer: TemplateComposer) -> None:
    mail = outgoing("credit_note_issued", refers_to=None, refers_to_date=None)
    message = composer.compose(mail)

    assert message["Subject"] == "Rechnungskorrektur KR-2026-000007"
    assert "Zu Rechnung" not in parts(message)[0]


@pytest.mark.parametrize(
    ("locale", "amount", "expected"),
    [
        ("de", Decimal("1234.5"), "1.234,50\u00a0€"),
        ("en", Decimal("1234.5"), "€1,234.50"),
        ("zh", Decimal("1234.5"), "€1,234.50"),
        ("de", Decimal("-7.02"), "-7,02\u00a0€"),
    ],
)
def test_money(locale: str, amount: Decimal, expected: str) -> None:
    assert LANGUAGES[locale].money(amount, "EUR") == expected


def test_money_is_never_a_float() -> None:
    with pytest.raises(TypeError, match="Decimal"):
        LANGUAGES["de"].money(5.9, "EUR")  # type: ignore[arg-type]
