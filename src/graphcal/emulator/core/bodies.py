"""itemBody conversions: text <-> HTML as Exchange does them, and bodyPreview."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser

PREVIEW_LENGTH = 255

# Exchange stores an HTML fragment as a whole document (the form calendar-post-events.md shows).
_HTML_HEAD = ('<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; '
              'charset=utf-8">\r\n<meta content="text/html; charset=us-ascii">\r\n</head>\r\n'
              '<body>\r\n')
_HTML_TAIL = '\r\n</body>\r\n</html>\r\n'
_WS = re.compile(r"\s+")


def normalise_html(content: str) -> str:
    """HTML as stored: fragments wrapped in a document, documents kept."""
    if re.search(r"<html[\s>]", content, re.IGNORECASE):
        return content
    return _HTML_HEAD + content + _HTML_TAIL


def text_to_html(text: str) -> str:
    lines = html.escape(text).splitlines() or [""]
    return _HTML_HEAD + "<div>" + "<br>\r\n".join(lines) + "</div>" + _HTML_TAIL


class _TextExtractor(HTMLParser):
    _SKIP = {"head", "style", "script", "title"}
    _BREAK = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        elif tag in ("p", "div"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(content: str) -> str:
    parser = _TextExtractor()
    parser.feed(content)
    parser.close()
    lines = [_WS.sub(" ", line).strip() for line in "".join(parser.parts).splitlines()]
    return "\r\n".join(line for line in lines if line)


# Cached: listings serialise the same bodies again and again; HTML parsing dominates otherwise.
@lru_cache(maxsize=4096)
def preview(content_type: str, content: str) -> str:
    text = html_to_text(content) if content_type == "html" else content
    return _WS.sub(" ", text).strip()[:PREVIEW_LENGTH]


def render(content_type: str, content: str, wanted: str) -> dict[str, str]:
    """The itemBody in the wanted type ("html" or "text")."""
    return {"contentType": wanted, "content": _converted(content_type, content, wanted)}


def payload(stored: dict[str, str], prefer: str | None) -> dict[str, str]:
    """A stored itemBody as an event or message payload shows it: HTML unless Prefer
    outlook.body-content-type asks for text (Exchange keeps item bodies as HTML and answers
    text-created bodies "converted from text", the form users report from Graph)."""
    return render(stored["contentType"], stored["content"], prefer or "html")


def preview_of(stored: dict[str, str]) -> str:
    """bodyPreview of a stored itemBody."""
    return preview(stored["contentType"], stored["content"])


@lru_cache(maxsize=4096)
def _converted(content_type: str, content: str, wanted: str) -> str:
    if wanted == content_type:
        return content
    return html_to_text(content) if wanted == "text" else text_to_html(content)
