"""Drawing a :class:`~tenure.adapters.pdf.view.DocumentView` on A4 pages with fpdf2.

The look follows the invoices of Stripe and pretix: title and facts at the top, seller and
buyer side by side, the amount due in one line, a table with hairlines, totals to the right,
notes below, and on every page a footer with the seller's legal data, the number and the page.
Everything is drawn opaque (PDF/A) in embedded fonts (:mod:`tenure.adapters.pdf.fonts`).

Text is broken into lines here (:func:`_lines_of`) and set line by line with ``cell``: fpdf2's
``multi_cell`` measures a line again for every character it adds, which made it most of the
time a page took.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import cast

from fpdf import FPDF
from fpdf.enums import MethodReturnValue

from tenure.adapters.pdf.view import DocumentView, Row

#: Characters the layout prints beside the view's texts: the page numbers it fills in and the
#: separator of the running head.
LAYOUT_CHARACTERS = frozenset("0123456789 ·")

INK = (33, 37, 41)
MUTED = (108, 117, 125)
RULE = (206, 212, 218)
ALERT = (196, 30, 58)
WATERMARK = (251, 228, 232)

MARGIN = 20.0
TOP = 18.0
#: Room kept free at the bottom of each page for the footer.
BOTTOM = 26.0
WIDTH = 210.0 - 2 * MARGIN
BUYER_X = MARGIN + 95.0
#: Table column widths in mm (they add up to WIDTH), without and with a VAT rate column, and
#: the alignment of each column.
COLUMNS = (10.0, 48.0, 42.0, 16.0, 27.0, 27.0)
COLUMNS_WITH_RATE = (10.0, 39.0, 42.0, 14.0, 24.0, 14.0, 27.0)
ALIGN = ("R", "L", "L", "R", "R", "R")
ALIGN_WITH_RATE = ("R", "L", "L", "R", "R", "R", "R")
#: Space above and below the text of a table row (fpdf2 pads cells left and right).
ROW_PADDING = 1.8
#: The pieces a line may break between: runs of spaces, single CJK characters (with the
#: punctuation that must not begin a line), and runs of anything else.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CLOSING = "，。、：；！？）》」』"
WORDS = re.compile(r"\s+|\S+")
BREAKABLE = re.compile(f"\\s+|[{_CJK}][{_CLOSING}]*|[^\\s{_CJK}]+")
TABLE_LINE = 3.9


class DocumentPdf(FPDF):
    """An A4 page set for one document: its sandbox marking and footer on every page, and a
    file identifier derived from its number (the same document always gets the same one)."""

    def __init__(self, view: DocumentView, created: datetime) -> None:
        super().__init__(orientation="P", unit="mm", format="A4", enforce_compliance="PDF/A-3B")
        self.view = view
        self.main_family = "latin"
        self.set_margins(MARGIN, TOP, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.set_creation_date(created)
        self.set_lang(view.pdf_language)
        self._id = hashlib.md5(view.number.encode(), usedforsecurity=False).hexdigest().upper()

    def file_id(self) -> str:
        return f"<{self._id}><{self._id}>"

    def header(self) -> None:
        if self.view.sandbox:
            _sandbox_marking(self, self.view.sandbox)
        self.set_xy(MARGIN, TOP)
        if self.page_no() > 1:  # a continuation page says whose and which document it is
            self.set_font(self.main_family, "", 8)
            self.set_text_color(*MUTED)
            self.cell(WIDTH, 4, f"{self.view.title} {self.view.number} · {self.view.seller_name}")
            self.set_xy(MARGIN, TOP + 8)

    def footer(self) -> None:
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        y = self.h - BOTTOM + 6
        self.line(MARGIN, y, MARGIN + WIDTH, y)
        self.set_font(self.main_family, "", 7)
        self.set_text_color(*MUTED)
        label = self.view.page_label.format(page=self.page_no(), pages="{nb}")
        label_width = self.get_string_width(label.replace("{nb}", "00")) + 2
        self.set_xy(MARGIN + WIDTH - label_width, y + 2)
        self.cell(label_width, 3.6, label, align="R")
        self.set_xy(MARGIN, y + 2)
        _text(self, self.view.footer, WIDTH - label_width - 4, 3.6)


def draw(pdf: DocumentPdf) -> None:
    """The whole document, page breaks included."""
    view = pdf.view
    pdf.add_page()
    _title(pdf, view)
    _facts(pdf, view)
    _parties(pdf, view)
    if view.headline:
        pdf.set_font(pdf.main_family, "B", 13)
        pdf.set_text_color(*INK)
        _text(pdf, (view.headline,), WIDTH, 7)
        pdf.ln(4)
    _table(pdf, view)
    _totals(pdf, view)
    _paragraphs(pdf, view.notes, size=8.5, gap=1.2)
    _paragraphs(pdf, view.payment, size=8.5, gap=0.6)
    _paragraphs(pdf, view.footnotes, size=7.5, gap=0.6, color=MUTED)


def _lines_of(pdf: FPDF, text: str, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` in the current font: at spaces if
    that is enough, else also between CJK characters (Chinese has no spaces to break at).
    ``width`` is that of the cell the lines go into, whose padding is left free."""
    width -= 2 * pdf.c_margin
    if pdf.get_string_width(text) <= width:
        return [text]
    return _greedy(pdf, WORDS.findall(text), width, cut=False) or _greedy(
        pdf, BREAKABLE.findall(text), width, cut=True
    )


def _greedy(pdf: FPDF, tokens: list[str], width: float, *, cut: bool) -> list[str]:
    """Fill lines token by token; a token wider than a line is cut by fpdf2 (``cut``) or
    makes this way of breaking fail (an empty list)."""
    lines: list[str] = []
    line, used = "", 0.0
    for token in tokens:
        token_width = pdf.get_string_width(token)
        if line and used + token_width > width:
            lines.append(line.rstrip())
            line, used = "", 0.0
            if token.isspace():
                continue
        if not line and token_width > width:
            if not cut:
                return []
            pieces = pdf.multi_cell(width, 1, token, dry_run=True, output=MethodReturnValue.LINES)
            *whole, line = cast(list[str], pieces)
            lines += whole
            used = pdf.get_string_width(line)
            continue
        line += token
        used += token_width
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _text(
    pdf: FPDF, paragraphs: tuple[str, ...], width: float, height: float, align: str = "L"
) -> None:
    """Paragraphs from the current position down, each broken to ``width``."""
    x = pdf.get_x()
    for paragraph in paragraphs:
        for line in _lines_of(pdf, paragraph, width):
            pdf.set_x(x)
            pdf.cell(width, height, line, align=align, new_x="LEFT", new_y="NEXT")


def _sandbox_marking(pdf: DocumentPdf, text: str) -> None:
    """A diagonal "TESTDOKUMENT" behind the content and a banner at the top of the page."""
    pdf.set_font(pdf.main_family, "B", 64)
    pdf.set_text_color(*WATERMARK)
    mark = text.split(" / ")[0]
    with pdf.rotation(35, x=pdf.w / 2, y=pdf.h / 2):
        width = pdf.get_string_width(mark)
        pdf.text(pdf.w / 2 - width / 2, pdf.h / 2 + 8, mark)
    pdf.set_font(pdf.main_family, "B", 7.5)
    pdf.set_text_color(*ALERT)
    pdf.set_draw_color(*ALERT)
    pdf.set_line_width(0.3)
    pdf.set_xy(MARGIN, 7)
    pdf.cell(WIDTH, 6, text, border=1, align="C")


def _title(pdf: DocumentPdf, view: DocumentView) -> None:
    top = pdf.get_y()
    pdf.set_text_color(*INK)
    pdf.set_font(pdf.main_family, "B", 11)
    pdf.set_xy(MARGIN + WIDTH / 2, top + 1.5)
    _text(pdf, (view.seller_name,), WIDTH / 2, 5, align="R")
    pdf.set_xy(MARGIN, top)
    pdf.set_font(pdf.main_family, "B", 20)
    pdf.cell(WIDTH / 2, 9, view.title, new_x="LMARGIN", new_y="NEXT")
    if view.reference:
        pdf.set_font(pdf.main_family, "", 10)
        pdf.set_text_color(*MUTED)
        _text(pdf, (view.reference,), WIDTH, 6)
    pdf.ln(5)


def _facts(pdf: DocumentPdf, view: DocumentView) -> None:
    pdf.set_font(pdf.main_family, "", 9)
    label_width = max(pdf.get_string_width(label) for label, _ in view.facts) + 6
    for label, value in view.facts:
        pdf.set_text_color(*MUTED)
        pdf.cell(label_width, 5, label)
        pdf.set_text_color(*INK)
        _text(pdf, (value,), WIDTH - label_width, 5)
        pdf.set_x(MARGIN)
    pdf.ln(6)


def _parties(pdf: DocumentPdf, view: DocumentView) -> None:
    top = pdf.get_y()
    seller_end = _party(pdf, MARGIN, top, None, view.seller_name, view.seller_lines)
    buyer_end = _party(pdf, BUYER_X, top, view.buyer_label, view.buyer_name, view.buyer_lines)
    pdf.set_xy(MARGIN, max(seller_end, buyer_end) + 7)


def _party(
    pdf: DocumentPdf, x: float, y: float, label: str | None, name: str, lines: tuple[str, ...]
) -> float:
    width = MARGIN + WIDTH - x if x > MARGIN else BUYER_X - MARGIN - 8
    pdf.set_xy(x, y)
    if label:
        pdf.set_font(pdf.main_family, "", 8)
        pdf.set_text_color(*MUTED)
        _text(pdf, (label,), width, 4.5)
    pdf.set_font(pdf.main_family, "B", 9)
    pdf.set_text_color(*INK)
    _text(pdf, (name,), width, 4.6)
    pdf.set_font(pdf.main_family, "", 9)
    _text(pdf, lines, width, 4.6)
    return pdf.get_y()


def _table(pdf: DocumentPdf, view: DocumentView) -> None:
    """The lines, with the column headings again on top of every page the table runs onto."""
    widths = COLUMNS_WITH_RATE if view.show_rates else COLUMNS
    align = ALIGN_WITH_RATE if view.show_rates else ALIGN
    pdf.set_line_width(0.2)
    _table_row(pdf, view.columns, widths, align, heading=True)
    for row in view.rows:
        cells = _cells(row, view.show_rates)
        if _table_row(pdf, cells, widths, align, dry_run=True):
            pdf.add_page()
            _table_row(pdf, view.columns, widths, align, heading=True)
        _table_row(pdf, cells, widths, align)
    pdf.ln(4)


def _cells(row: Row, show_rate: bool) -> tuple[str, ...]:
    rate = (row.rate,) if show_rate else ()
    return (
        row.position,
        row.description,
        row.period,
        row.quantity,
        row.unit_price,
        *rate,
        row.amount,
    )


def _table_row(
    pdf: DocumentPdf,
    cells: tuple[str, ...],
    widths: tuple[float, ...],
    align: tuple[str, ...],
    *,
    heading: bool = False,
    dry_run: bool = False,
) -> bool:
    """Draw one row with a hairline below it; with ``dry_run`` only tell whether it would run
    past the page."""
    pdf.set_font(pdf.main_family, "B" if heading else "", 7.5 if heading else 8)
    wrapped = [_lines_of(pdf, text, w) for text, w in zip(cells, widths, strict=True)]
    height = max(len(lines) for lines in wrapped) * TABLE_LINE + 2 * ROW_PADDING
    if dry_run:
        return pdf.will_page_break(height)
    top = pdf.get_y()
    x = MARGIN
    pdf.set_text_color(*(MUTED if heading else INK))
    for lines, w, side in zip(wrapped, widths, align, strict=True):
        pdf.set_xy(x, top + ROW_PADDING)
        for line in lines:
            pdf.cell(w, TABLE_LINE, line, align=side, new_x="LEFT", new_y="NEXT")
        x += w
    pdf.set_draw_color(*(MUTED if heading else RULE))
    pdf.line(MARGIN, top + height, MARGIN + WIDTH, top + height)
    pdf.set_xy(MARGIN, top + height)
    return False


def _totals(pdf: DocumentPdf, view: DocumentView) -> None:
    amount_width = 30.0
    label_width = 62.0
    x = MARGIN + WIDTH - amount_width - label_width
    if pdf.will_page_break(5.5 * len(view.totals) + 6):
        pdf.add_page()
    for total in view.totals:
        if total.strong:
            y = pdf.get_y() + 0.8
            pdf.set_draw_color(*INK)
            pdf.set_line_width(0.3)
            pdf.line(x, y, MARGIN + WIDTH, y)
            pdf.ln(2)
        pdf.set_x(x)
        pdf.set_font(pdf.main_family, "B" if total.strong else "", 10 if total.strong else 9)
        pdf.set_text_color(*(INK if total.strong else MUTED))
        pdf.cell(label_width, 5.5, total.label)
        pdf.set_text_color(*INK)
        pdf.cell(amount_width, 5.5, total.amount, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)


def _paragraphs(
    pdf: DocumentPdf,
    paragraphs: tuple[str, ...],
    *,
    size: float,
    gap: float,
    color: tuple[int, int, int] = INK,
) -> None:
    if not paragraphs:
        return
    pdf.set_font(pdf.main_family, "", size)
    pdf.set_text_color(*color)
    for paragraph in paragraphs:
        _text(pdf, (paragraph,), WIDTH, size * 0.45)
        pdf.ln(gap)
    pdf.ln(3)
