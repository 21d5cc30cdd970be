"""The fonts of a document: embedded TrueType/OpenType subsets only (PDF/A allows no font that is
not embedded, so fpdf2's core fonts are never used).

Latin text is set in DejaVu Sans (Debian ``fonts-dejavu-core``), Chinese in Noto Sans CJK SC
(``fonts-noto-cjk``, face 2 of its collections). A document's language picks its main family;
the other one is added as a fallback only when the document has characters the main one lacks
(a Chinese name on a German invoice).

Speed: parsing and subsetting a whole font file for every document would be most of the time
a PDF takes (DejaVu ~70 ms, Noto CJK ~1.3 s). So each face is reduced once per process to a
base repertoire (Latin, punctuation, €: enough for almost every European document), fpdf2's
font object for it is made once (its metrics shared, read only, by every document), and fpdf2
subsets the small font per document. A document with characters beyond the base repertoire
(any Chinese one) gets a subset made for exactly its characters, cached for the next rendering
of the same document. All caches are per process and safe to share between threads (they hold
immutable bytes and read-only metrics; each document gets its own parsed font to subset).
"""

from __future__ import annotations

import copy
import functools
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset as ftsubset  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

#: Where the fonts are looked for; ``TENURE_FONT_DIR`` (one directory or several separated by
#: ``os.pathsep``) replaces this list.
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/noto",
)
FONT_DIR_ENV = "TENURE_FONT_DIR"

#: Code points every base font carries: ASCII, Latin-1, Latin Extended-A, Romanian comma
#: letters, the usual punctuation (dashes, quotes, bullet, ellipsis, per mille), non-breaking
#: spaces, €, №, ™, minus; for CJK faces also CJK punctuation and full-width forms.
BASE_REPERTOIRE = frozenset(
    [
        *range(0x20, 0x7F),
        *range(0xA0, 0x180),
        *range(0x218, 0x21C),
        *range(0x2010, 0x2028),
        *range(0x202F, 0x203B),
        0x20AC,
        0x2116,
        0x2122,
        0x2212,
        *range(0x3000, 0x3040),
        *range(0xFF01, 0xFF5F),
    ]
)


class FontMissing(RuntimeError):
    """A font a document needs is not installed."""

    code = "font_missing"


@dataclass(frozen=True, slots=True)
class Face:
    """One font file (a face of a collection for ``.ttc``) and the Debian package with it."""

    file: str
    package: str
    index: int = 0

    @property
    def path(self) -> Path:
        env = os.environ.get(FONT_DIR_ENV)
        dirs = env.split(os.pathsep) if env else FONT_DIRS
        for folder in dirs:
            candidate = Path(folder) / self.file
            if candidate.is_file():
                return candidate
        raise FontMissing(
            f"font {self.file} not found in {', '.join(dirs)}: install the Debian package "
            f"{self.package} (apt-get install {self.package}) or point {FONT_DIR_ENV} at a "
            "directory that has it"
        )


@dataclass(frozen=True, slots=True)
class Family:
    """A family as fpdf2 knows it (lower-case, no "B" or "I" in the name): regular and bold."""

    name: str
    regular: Face
    bold: Face


LATIN = Family(
    "latin",
    Face("DejaVuSans.ttf", "fonts-dejavu-core"),
    Face("DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
)
CJK = Family(
    "cjk",
    Face("NotoSansCJK-Regular.ttc", "fonts-noto-cjk", index=2),
    Face("NotoSansCJK-Bold.ttc", "fonts-noto-cjk", index=2),
)
#: The families of each document language, the main one first.
FAMILIES = {"de": (LATIN, CJK), "en": (LATIN, CJK), "zh": (CJK, LATIN)}


def install_fonts(pdf: FPDF, language: str, characters: Iterable[str]) -> str:
    """Add the fonts that print ``characters`` to ``pdf``; returns the main family's name.

    Each character goes to the first family of the language that has it; a fallback family is
    added only if some character goes to it."""
    main, *fallbacks = FAMILIES[language]
    owned: dict[Family, set[int]] = {main: set()}
    for char in characters:
        code = ord(char)
        if code < 0x20:
            continue
        owner = main
        if code not in _coverage(main.regular):
            owner = next((f for f in fallbacks if code in _coverage(f.regular)), main)
        owned.setdefault(owner, set()).add(code)
    for family, codes in owned.items():
        for style, face in (("", family.regular), ("B", family.bold)):
            _add_font(pdf, family.name, style, font_data(face, frozenset(codes)))
    used_fallbacks = [family.name for family in owned if family is not main]
    if used_fallbacks:
        pdf.set_fallback_fonts(used_fallbacks, exact_match=False)
    return main.name


def _add_font(pdf: FPDF, family: str, style: str, data: bytes) -> None:
    """``FPDF.add_font`` for a font held in memory, from a prototype made once per process.

    fpdf2's font object reads the font's metrics when it is made (a third of the time a page
    took) and its subset state fills up while the document is written; so a document gets a
    copy of the prototype that shares the metrics (read only) and has its own subset state and
    its own parsed font file (fpdf2 subsets that one in place when it writes the PDF)."""
    key = f"{family}{style}"
    prototype = _prototype(data, key, style)
    font = copy.copy(prototype)
    font.i = len(pdf.fonts) + 1
    font.ttfont = _parse(data)
    font.cw = copy.copy(prototype.cw)  # a defaultdict: a lookup may add to it
    font.desc = copy.copy(prototype.desc)  # fpdf2 numbers it and hangs the font file on it
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.subset = SubsetMap(font)
    pdf.fonts[key] = font


@functools.lru_cache(maxsize=16)
def _prototype(data: bytes, key: str, style: str) -> TTFFont:
    # ``add_font`` opens a file by its path; the font object it makes reads any file object.
    return TTFFont(FPDF(), io.BytesIO(data), key, style)  # type: ignore[arg-type]


def _parse(data: bytes) -> TTFont:
    # The glyphs' bounding boxes are right as they are; recomputing them when fpdf2 saves its
    # subset took a third of the time of writing the fonts.
    return TTFont(io.BytesIO(data), lazy=True, recalcTimestamp=False, recalcBBoxes=False)


def font_data(face: Face, codes: frozenset[int]) -> bytes:
    """A font file of ``face`` with at least the glyphs of ``codes`` (that the face has): the
    process's base font when it covers them, else a subset made for exactly them (small, so
    that fpdf2's own subsetting of it is quick too)."""
    wanted = codes & _coverage(face)
    if wanted <= BASE_REPERTOIRE:
        return _base_font(face)
    return _subset_font(face, wanted)


@functools.cache
def _coverage(face: Face) -> frozenset[int]:
    """The code points ``face`` has a glyph for."""
    font = _open(face)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


@functools.cache
def _base_font(face: Face) -> bytes:
    return _subset_font(face, BASE_REPERTOIRE & _coverage(face))


@functools.lru_cache(maxsize=32)
def _subset_font(face: Face, codes: frozenset[int]) -> bytes:
    """``face`` cut down to ``codes``, without the OpenType layout tables fpdf2 does not use."""
    font = _open(face)
    try:
        options = ftsubset.Options(notdef_outline=True, recommended_glyphs=True)
        options.layout_features = []
        options.name_IDs = ["*"]
        options.drop_tables += [
            "FFTM",
            "GDEF",
            "GPOS",
            "GSUB",
            "kern",
            "hdmx",
            "VORG",
            "vhea",
            "vmtx",
        ]
        subsetter = ftsubset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codes))
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
        return out.getvalue()
    finally:
        font.close()


def _open(face: Face) -> TTFont:
    # recalcBBoxes=False: the bounding boxes of the whole font stay valid for a subset and
    # recomputing them is most of the time a CFF subset takes.
    return TTFont(
        face.path, fontNumber=face.index, lazy=True, recalcTimestamp=False, recalcBBoxes=False
    )
