"""Every e-mail template in every language (issue #9): the subject, what the text says (German
dates "17.04.2026", "5,90 €", the § 312k receipt time in Berlin time, seed wording such as
"Kündigung zum" and "Sammelrechnung"), the same facts in the HTML part, well-formed HTML that
escapes what the customer typed, Content-Language and the MIME structure."""

from __future__ import annotations

import html
import re
from email.message import EmailMessage

import pytest
from lxml import etree

from tenure.adapters.mail.compose import TemplateComposer
from tenure.services.mail import TEMPLATES

from .mail_samples import outgoing

EUR = "\u00a0€"  # CLDR puts a no-break space between a German amount and its currency sign
Fact = tuple[str, str]  # a label and its value, "Label: value" in the text, a table row in HTML

EXPECT: dict[tuple[str, str], tuple[str, list[str | Fact]]] = {
    ("contract_confirmation", "de"): (
        "Ihre Vertragsbestätigung: CloudCRM Business",
        [
            "Hiermit bestätigen wir Ihren Vertrag über CloudCRM Business.",
            ("Vertragsbeginn", "17.04.2026"),
            ("Nutzerlizenzen", "3"),
            ("Vertrag", "con_3hx9a"),
        ],
    ),
    ("contract_confirmation", "en"): (
        "Your contract confirmation: CloudCRM Business",
        [("Contract start", "17 April 2026"), ("Seats", "3"), ("Contract", "con_3hx9a")],
    ),
    ("contract_confirmation", "zh"): (
        "合同确认：CloudCRM Business",
        [("合同开始日期", "2026年4月17日"), ("用户许可数", "3"), ("合同", "con_3hx9a")],
    ),
    ("addon_booking_confirmation", "de"): (
        "Buchungsbestätigung: Zusätzliche Benutzer",
        [
            "Die Leistung steht Ihnen ab sofort zur Verfügung.",
            ("Anzahl", "2"),
            ("Gebucht am", "03.04.2026"),
            ("Preis", f"5,90{EUR} je Einheit und Abrechnungszeitraum"),
            ("Anteiliger Betrag", f"5,71{EUR}"),
            ("Widerruf möglich bis", "17.04.2026"),
            f"der anteilige Betrag von 5,71{EUR} für den laufenden Abrechnungszeitraum erst mit "
            "Ihrer nächsten regulären Abo-Rechnung (Sammelrechnung) am 18.04.2026 abgerechnet.",
            "Sie können diese Buchung bis einschließlich 17.04.2026 ohne Angabe von Gründen",
        ],
    ),
    ("addon_booking_confirmation", "en"): (
        "Booking confirmation: Additional users",
        [
            "It is available to you right away.",
            ("Price", "€5.90 per unit and billing period"),
            ("Prorated amount", "€5.71"),
            "next regular subscription invoice (consolidated invoice) on 18 April 2026.",
            "until 17 April 2026 inclusive",
        ],
    ),
    ("addon_booking_confirmation", "zh"): (
        "订购确认：额外用户",
        [
            ("价格", "每单位每个计费周期 €5.90"),
            ("按比例计算的费用", "€5.71"),
            "合并发票），于 2026年4月18日 一并结算。",
            "您可在 2026年4月17日（含当日）之前无理由撤回本次订购。",
        ],
    ),
    ("addon_cancellation_confirmation", "de"): (
        "Kündigungsbestätigung: Zusätzliche Benutzer",
        [
            ("Status", "Kündigung zum 17.04.2026"),
            "bis zum Ende Ihres bezahlten Abrechnungszeitraums am 17.04.2026 nutzen, danach wird "
            "sie automatisch deaktiviert.",
        ],
    ),
    ("addon_cancellation_confirmation", "en"): (
        "Cancellation confirmation: Additional users",
        [("Status", "Cancelled, ends on 17 April 2026"), "17 April 2026 inclusive"],
    ),
    ("addon_cancellation_confirmation", "zh"): (
        "退订确认：额外用户",
        [("状态", "已退订，2026年4月17日 到期"), "此后服务将自动停用"],
    ),
    ("withdrawal_confirmation", "de"): (
        "Widerrufsbestätigung: Zusätzliche Benutzer",
        [
            "Die Option wurde sofort storniert",
            f"Der Betrag von 5,71{EUR} wurde von Ihrer anstehenden Sammelrechnung gelöscht.",
            ("Widerrufen am", "10.04.2026"),
        ],
    ),
    ("withdrawal_confirmation", "en"): (
        "Withdrawal confirmation: Additional users",
        [
            "The add-on was cancelled at once",
            "The amount of €5.71 has been removed from your pending consolidated invoice.",
        ],
    ),
    ("withdrawal_confirmation", "zh"): (
        "撤回确认：额外用户",
        ["该选项已立即取消", "金额 €5.71 已从您即将开具的合并发票中删除。"],
    ),
    ("plan_change_confirmation", "de"): (
        "Ihre Vertragsänderung: CloudCRM Business",
        [
            ("Bisher", "CloudCRM Starter mit 1 Nutzerlizenz"),
            ("Neu", "CloudCRM Business mit 5 Nutzerlizenzen"),
            ("Gültig ab", "01.05.2026"),
        ],
    ),
    ("plan_change_confirmation", "en"): (
        "Your contract change: CloudCRM Business",
        [
            ("Previously", "CloudCRM Starter with 1 seat"),
            ("Now", "CloudCRM Business with 5 seats"),
            ("Effective from", "1 May 2026"),
        ],
    ),
    ("plan_change_confirmation", "zh"): (
        "合同变更确认：CloudCRM Business",
        [("变更前", "CloudCRM Starter（1 个用户许可）"), ("生效日期", "2026年5月1日")],
    ),
    ("plan_change_scheduled", "de"): (
        "Vertragsänderung zum 01.05.2026 vorgemerkt",
        [
            "bis dahin bleibt Ihr bisheriger Tarif unverändert bestehen.",
            ("Derzeit", "CloudCRM Starter mit 1 Nutzerlizenz"),
            ("Ab 01.05.2026", "CloudCRM Business mit 5 Nutzerlizenzen"),
        ],
    ),
    ("plan_change_scheduled", "en"): (
        "Contract change scheduled for 1 May 2026",
        [
            ("Currently", "CloudCRM Starter with 1 seat"),
            ("From 1 May 2026", "CloudCRM Business with 5 seats"),
        ],
    ),
    ("plan_change_scheduled", "zh"): (
        "合同变更已安排于 2026年5月1日 生效",
        [("自 2026年5月1日 起", "CloudCRM Business（5 个用户许可）")],
    ),
    ("cancellation_confirmation", "de"): (
        "Kündigungsbestätigung: CloudCRM Business",
        [
            "Ihre Kündigungserklärung ist am 17.04.2026, 14:03 Uhr (MESZ) bei uns eingegangen.",
            ("Kunde", "Muster & Söhne GmbH (Kundennummer cus_8f2k1)"),
            ("Vertrag", "CloudCRM Business (Vertragsnummer con_3hx9a)"),
            ("Art der Kündigung", "Ordentliche Kündigung"),
            ("Gewünschtes Vertragsende", "zum nächstmöglichen Zeitpunkt"),
            ("E-Mail-Adresse für die Bestätigung", "kuendigung@muster-soehne.de"),
            ("Eingegangen am", "17.04.2026, 14:03 Uhr (MESZ)"),
            "Ihr Vertrag endet zum 30.06.2026.",
            "Bitte bewahren Sie diese E-Mail als Nachweis Ihrer Kündigung auf.",
        ],
    ),
    ("cancellation_confirmation", "en"): (
        "Cancellation confirmation: CloudCRM Business",
        [
            "Your declaration reached us on 17 April 2026, 14:03 CEST.",
            ("Type of termination", "Ordinary termination"),
            ("Requested end", "At the earliest possible date"),
            ("Received on", "17 April 2026, 14:03 CEST"),
            "Your contract ends on 30 June 2026.",
        ],
    ),
    ("cancellation_confirmation", "zh"): (
        "解约确认：CloudCRM Business",
        [
            "您的声明于 2026年4月17日 14:03（中欧夏令时间） 送达我方。",
            ("解约类型", "常规解约"),
            ("送达时间", "2026年4月17日 14:03（中欧夏令时间）"),
            "您的合同将于 2026年6月30日 终止。",
        ],
    ),
    ("cancellation_revoked", "de"): (
        "Widerruf Ihrer Kündigung bestätigt: CloudCRM Business",
        [
            "am 02.05.2026, 10:15 Uhr (MESZ) widerrufen. Die Kündigung ist damit aufgehoben, und "
            "Ihr Vertrag läuft unverändert weiter.",
            "Bitte beachten Sie, dass auch die Kündigungsfrist zurückgesetzt wird",
        ],
    ),
    ("cancellation_revoked", "en"): (
        "Revocation of your cancellation confirmed: CloudCRM Business",
        ["on 2 May 2026, 10:15 CEST", "the notice period starts over as well"],
    ),
    ("cancellation_revoked", "zh"): (
        "撤销解约确认：CloudCRM Business",
        ["您已于 2026年5月2日 10:15（中欧夏令时间） 撤销", "通知期将自新的解约声明起重新计算"],
    ),
    ("cancellation_accepted", "de"): (
        "Außerordentliche Kündigung angenommen: Ihr Vertrag endet zum 30.04.2026",
        ["geprüft und nehmen sie an.", "Ihr Vertrag endet zum 30.04.2026."],
    ),
    ("cancellation_accepted", "en"): (
        "Extraordinary termination accepted: your contract ends on 30 April 2026",
        ["and accept it.", "Your contract ends on 30 April 2026."],
    ),
    ("cancellation_accepted", "zh"): (
        "特别解约已接受：您的合同将于 2026年4月30日 终止",
        ["并予以接受。", "您的合同将于 2026年4月30日 终止。"],
    ),
    ("cancellation_rejected", "de"): (
        "Außerordentliche Kündigung abgelehnt: CloudCRM Business",
        [
            "Leider können wir sie aus folgendem Grund nicht annehmen:",
            "> Eine Preiserhöhung um 2 % ist kein wichtiger Grund im Sinne von § 314 BGB.",
            "Ihr Vertrag läuft daher unverändert weiter.",
        ],
    ),
    ("cancellation_rejected", "en"): (
        "Extraordinary termination rejected: CloudCRM Business",
        ["for the following reason:", "> Eine Preiserhöhung", "continues unchanged"],
    ),
    ("cancellation_rejected", "zh"): (
        "特别解约未获接受：CloudCRM Business",
        ["基于以下理由，我们无法接受：", "> Eine Preiserhöhung", "您的合同将照常履行"],
    ),
    ("contract_withdrawal_confirmation", "de"): (
        "Widerrufsbestätigung: CloudCRM Business",
        [
            "hiermit bestätigen wir den Widerruf Ihres Vertrags con_3hx9a (CloudCRM Business). "
            "Ihre Widerrufserklärung ist am 17.04.2026, 14:03 Uhr (MESZ) bei uns eingegangen.",
            ("Vertrag", "CloudCRM Business (Vertragsnummer con_3hx9a)"),
            ("Eingegangen am", "17.04.2026, 14:03 Uhr (MESZ)"),
            ("Vertrag beendet am", "17.04.2026"),
            ("Ausgestellte Rechnungskorrektur", "KR-2026-000008"),
            ("Betrag zu Ihren Gunsten", f"41,65{EUR}"),
            "Ihr Vertrag wurde am 17.04.2026 mit sofortiger Wirkung beendet, einschließlich aller "
            "dazu gebuchten Zusatzoptionen. Damit ist auch Ihr Zugang zu den Leistungen beendet.",
            "Zu diesem Vertrag erhalten Sie keine weiteren Rechnungen. Den bereits abgerechneten "
            f"Betrag von 41,65{EUR} schreiben wir Ihnen mit der Rechnungskorrektur KR-2026-000008 "
            "in voller Höhe gut.",
            "Bereits gezahlte Beträge erstatten wir Ihnen; noch offene Beträge werden verrechnet.",
            "Bitte bewahren Sie diese E-Mail als Nachweis Ihres Widerrufs auf.",
        ],
    ),
    ("contract_withdrawal_confirmation", "en"): (
        "Withdrawal confirmation: CloudCRM Business",
        [
            "Your declaration of withdrawal reached us on 17 April 2026, 14:03 CEST.",
            ("Received on", "17 April 2026, 14:03 CEST"),
            ("Contract ended on", "17 April 2026"),
            ("Corrective invoice issued", "KR-2026-000008"),
            ("Amount in your favour", "€41.65"),
            "Your contract ended with immediate effect on 17 April 2026, together with all "
            "add-ons booked under it.",
            "No further invoices will be issued under this contract. The amount of €41.65 already "
            "invoiced is credited to you in full with the corrective invoice KR-2026-000008.",
        ],
    ),
    ("contract_withdrawal_confirmation", "zh"): (
        "合同撤回确认：CloudCRM Business",
        [
            "您的撤回声明于 2026年4月17日 14:03（中欧夏令时间） 送达我方。",
            ("送达时间", "2026年4月17日 14:03（中欧夏令时间）"),
            ("合同终止日期", "2026年4月17日"),
            ("已开具的更正发票", "KR-2026-000008"),
            ("应退还您的金额", "€41.65"),
            "您的合同已于 2026年4月17日 立即终止",
            "我们不会再就本合同向您开具任何发票。已开票的金额 €41.65 将通过更正发票 "
            "KR-2026-000008 全额退还给您。",
        ],
    ),
    ("contract_ended", "de"): (
        "Ihr Vertrag CloudCRM Business ist beendet",
        ["ist mit Ablauf des 30.06.2026 beendet.", "Schlussrechnung"],
    ),
    ("contract_ended", "en"): (
        "Your contract CloudCRM Business has ended",
        ["ended on 30 June 2026.", "final invoice"],
    ),
    ("contract_ended", "zh"): (
        "您的 CloudCRM Business 合同已终止",
        ["已于 2026年6月30日 终止。", "最终发票"],
    ),
    ("invoice_issued", "de"): (
        "Ihre Rechnung RE-2026-000042",
        [
            f"anbei erhalten Sie Ihre Rechnung RE-2026-000042 vom 18.04.2026 über 79,15{EUR}.",
            ("Rechnungsbetrag", f"79,15{EUR}"),
            ("Fällig am", "02.05.2026"),
            "als PDF und als E-Rechnung im XML-Format (XRechnung).",
        ],
    ),
    ("invoice_issued", "en"): (
        "Your invoice RE-2026-000042",
        [
            "your invoice RE-2026-000042 of 18 April 2026 for €79.15.",
            ("Due on", "2 May 2026"),
            "Please pay the invoice amount by 2 May 2026.",
        ],
    ),
    ("invoice_issued", "zh"): (
        "您的发票 RE-2026-000042",
        [("发票金额", "€79.15"), ("付款截止日期", "2026年5月2日"), "XML 格式电子发票（XRechnung）"],
    ),
    ("credit_note_issued", "de"): (
        "Rechnungskorrektur KR-2026-000007 zu Rechnung RE-2026-000042",
        [
            "anbei erhalten Sie die Rechnungskorrektur KR-2026-000007 vom 20.04.2026 zu Ihrer "
            "Rechnung RE-2026-000042 vom 18.04.2026.",
            ("Zu Rechnung", "RE-2026-000042 vom 18.04.2026"),
            ("Betrag zu Ihren Gunsten", f"7,02{EUR}"),
        ],
    ),
    ("credit_note_issued", "en"): (
        "Corrective invoice KR-2026-000007 for invoice RE-2026-000042",
        [
            ("Corrects invoice", "RE-2026-000042 of 18 April 2026"),
            ("Amount in your favour", "€7.02"),
        ],
    ),
    ("credit_note_issued", "zh"): (
        "更正发票 KR-2026-000007（对应发票 RE-2026-000042）",
        [("所更正的发票", "RE-2026-000042（2026年4月18日）"), ("应退还您的金额", "€7.02")],
    ),
}
LANGUAGE = {"de": "de", "en": "en", "zh": "zh-Hans"}
COLON = {"de": ": ", "en": ": ", "zh": "："}


@pytest.fixture(scope="module")
def composer() -> TemplateComposer:
    return TemplateComposer()


def test_every_template_and_language_has_expectations() -> None:
    assert set(EXPECT) == {(t, locale) for t in TEMPLATES for locale in LANGUAGE}


@pytest.mark.parametrize(("template", "locale"), sorted(EXPECT))
def test_template(composer: TemplateComposer, template: str, locale: str) -> None:
    subject, snippets = EXPECT[template, locale]
    message = composer.compose(outgoing(template, locale))

    assert message["Subject"] == subject
    assert message["Content-Language"] == LANGUAGE[locale]
    text, page = parts(message)
    rows = table_rows(page)
    for snippet in snippets:
        if isinstance(snippet, tuple):
            label, value = snippet
            assert f"{label}{COLON[locale]}{value}\n" in text
            assert rows.get(label) == value
        else:
            assert snippet in text
            if not snippet.startswith(">"):
                assert snippet in page_text(page)
    assert "%(" not in text + page
    assert "{{" not in text + page
    assert "<p" not in text
    assert "<br" not in text
    # The customer's name, with its "&", is escaped in HTML and plain in the text.
    assert "Muster & Söhne GmbH" in text
    assert "Muster &amp; Söhne GmbH" in page
    assert "Muster & Söhne" not in page
    assert f'<html lang="{LANGUAGE[locale]}"' in page
    assert CLOUDCRM_FOOTER[locale] in text


CLOUDCRM_FOOTER = {
    "de": "CloudCRM GmbH\nMusterstraße 1, 10115 Berlin, DE\nE-Mail: rechnung@cloudcrm.example\n"
    "Telefon: +49 30 1234567\n",
    "en": "CloudCRM GmbH\nMusterstraße 1, 10115 Berlin, DE\nE-mail: rechnung@cloudcrm.example\n"
    "Phone: +49 30 1234567\n",
    "zh": "CloudCRM GmbH\nMusterstraße 1, 10115 Berlin, DE\n电子邮件：rechnung@cloudcrm.example\n"
    "电话：+49 30 1234567\n",
}


def parts(message: EmailMessage) -> tuple[str, str]:
    """The text and the HTML of a message (multipart/alternative, maybe inside mixed)."""
    text = message.get_body(("plain",))
    page = message.get_body(("html",))
    assert text is not None
    assert page is not None
    return text.get_content(), page.get_content()


def parse_html(page: str) -> etree._Element:
    """The HTML part as XML: it must be well-formed (XHTML-compatible), or this raises."""
    return etree.fromstring(page.encode("utf-8"), etree.XMLParser(resolve_entities=False))


def table_rows(page: str) -> dict[str, str]:
    root = parse_html(page)
    return {
        "".join(row.find("{*}th").itertext()): "".join(row.find("{*}td").itertext())
        for row in root.iter("{*}tr")
        if row.find("{*}th") is not None
    }


def page_text(page: str) -> str:
    """The words of the HTML part (ASCII white space collapsed, no-break spaces kept)."""
    return re.sub(r"[ \t\r\n]+", " ", html.unescape("".join(parse_html(page).itertext())))
