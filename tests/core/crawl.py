"""Crawling the portal as one signed-in person: every page reachable by links from home, and its visible text.

Same-origin GETs only; the API, the admin, downloads (anything that is not an HTML page) and the sign-out
are skipped. ``visible_text`` keeps what a person reads or hears: text outside scripts and styles, and the
title, aria-label, placeholder and alt attributes.
"""

from __future__ import annotations

import re
import time
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.test import Client

SKIPPED_PREFIXES = ("/api/", "/admin/", "/static/", "/media/", "/i18n/", "/accounts/logout")
# Links that produce a file (or queue one) rather than a page.
DOWNLOAD = re.compile(r"/(download|export|pdf|zip|xlsx|template|file)s?(/|$|\?)|\.(pdf|zip|xlsx|json|csv)$")
SPOKEN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        self.parts += [values[name] or "" for name in SPOKEN_ATTRIBUTES if values.get(name)]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def parse(html: str) -> tuple[str, list[str]]:
    """The visible text of a page (one line per text node) and its link targets."""
    page = _Page()
    page.feed(html)
    text = "\n".join(part.strip() for part in page.parts if part.strip())
    return text, page.links


def _followed(base: str, href: str) -> str | None:
    """The same-origin page a link leads to (path and query), or None when it is not one to follow."""
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    target = urlsplit(urldefrag(urljoin(base, href))[0])
    if target.scheme not in ("", "http") or target.netloc not in ("", "testserver"):
        return None
    path = target.path
    if path.startswith(SKIPPED_PREFIXES) or DOWNLOAD.search(path):
        return None
    return f"{path}?{target.query}" if target.query else path


@dataclass(frozen=True)
class Crawled:
    url: str
    status: int
    text: str
    seconds: float = 0.0


def shape_of(url: str) -> str:
    """A URL's shape: its path with every number as N, and whether it has a query (its values ignored)."""
    path, _, query = url.partition("?")
    return re.sub(r"\d+", "N", path) + ("?" if query else "")


def crawl(
    client: Client,
    *,
    start: str = "/",
    limit: int = 300,
    per_shape: int = 0,
    shapes: Counter[str] | None = None,
) -> Iterator[Crawled]:
    """Every HTML page reachable by links from ``start`` (at most ``limit``), breadth first.

    ``per_shape``: at most that many pages of one URL shape (``shape_of``), 0 for no such limit; ``shapes``
    counts them, and may be shared by several crawls (people of one role see the same templates)."""
    seen, queue = {start}, deque([start])
    shapes = Counter() if shapes is None else shapes
    visited = 0
    while queue and visited < limit:
        url = queue.popleft()
        started = time.monotonic()
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            continue  # a redirect's target is reached by its own link
        if "text/html" not in response.get("Content-Type", ""):
            continue
        visited += 1
        text, links = parse(response.content.decode())
        yield Crawled(url=url, status=response.status_code, text=text, seconds=time.monotonic() - started)
        for href in links:
            target = _followed(url, href)
            if target is None or target in seen:
                continue
            seen.add(target)
            shapes[shape_of(target)] += 1
            if per_shape and shapes[shape_of(target)] > per_shape:
                continue
            queue.append(target)
