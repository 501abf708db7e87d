"""Reading what a rendered PDF says, for report tests (no PDF parser is installed)."""

from __future__ import annotations

import re
import zlib


def document_text(document) -> str:
    """Every text box of a laid-out WeasyPrint document, page by page (pypdf/poppler are not installed)."""

    def walk(box):
        if getattr(box, "text", None):
            yield box.text
        for child in getattr(box, "children", None) or []:
            yield from walk(child)

    return "\n".join(text for page in document.pages for text in walk(page._page_box))


def font_names(pdf: bytes) -> set[str]:
    """The font names of a PDF, read from its (deflated) object streams."""
    names = set()
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            data = zlib.decompressobj().decompress(pdf[match.end() :])
        except zlib.error:
            continue
        names |= {n.decode() for n in re.findall(rb"/(?:FontName|BaseFont)\s*/([^\s/<>\[\]]+)", data)}
    return names
