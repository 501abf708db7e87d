"""The walk of every role's main pages (tests/browser/test_walk.py): what a page is checked for and how.

Each page is opened at a desk's and a phone's width; the browser's console errors, uncaught errors and failed
requests to our own server are collected while it loads, then the page is measured for a horizontal
scrollbar and its text (every text node outside scripts and styles, and the title, aria-label, placeholder
and alt attributes a person reads or hears) is read for a raw code (``tests.known_codes.find_codes``), an
English string of the catalogue left in a Chinese page, or Chinese that is not the demo's own data in an
English page. Nothing stops at the first problem: every one is collected, and ``report`` lists them all.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import polib  # type: ignore[import-untyped]
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.known_codes import find_codes

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
WIDTHS = {"desk": (1440, 900), "phone": (390, 844)}
CJK = re.compile(r"[\u3400-\u9fff]")
# A run of Chinese (with its own punctuation) inside a text: what must be the demo's data in English.
CJK_RUN = re.compile(r"[\u3400-\u9fff][\u3000-\u303f\u3400-\u9fff\uff00-\uffef]*")
_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdfir]|\{[a-z_]*\}")
# A word of English prose (a unit or a code is not one): "Export", "report," but not "tCO2/tce", "MJ", "park_x".
_ENGLISH_WORD = re.compile(r"^[(“\"']?[A-Za-z][a-z]+[)”\"',.;:!?]*$")
_UNITS = frozenset({"kgce", "tce", "gce", "kwh", "mwh", "gwh", "tco", "nm"})
_NOT_WORDS = re.compile(r"[\w.+\-]+@[\w.\-]+|https?://\S+|\S+\.(?:pdf|zip|xlsx|json|csv|png)\b")
# Models whose Chinese is written by the portal itself (labels, events, messages), or reference data that
# has its own English: their text must follow the language, so it is never counted as the demo's data —
# except the fields named here, which hold what a person wrote (an event's comment). The titles of factor
# sets and indicator schemes are the official Chinese names of published documents (like a park's name),
# shown as they are in both languages: they count as data.
SYSTEM_TEXT_MODELS: dict[str, frozenset[str]] = {
    "core.AuditEvent": frozenset({"comment"}),
    "core.Notification": frozenset(),
    "parks.Province": frozenset(),
    "indicators.IndicatorResult": frozenset(),
}
_TEXT_JS = """() => {
  const skipped = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"]);
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.replace(/\\s+/g, " ").trim();
    const parent = node.parentElement;
    if (!text || !parent || skipped.has(parent.tagName) || parent.closest("script, style, template, noscript")) {
      continue;
    }
    // The language switch names each language in its own tongue.
    if (parent.tagName === "OPTION" && parent.closest("#language-form")) continue;
    texts.push(text);
  }
  for (const element of document.querySelectorAll("[title], [aria-label], [placeholder], [alt]")) {
    for (const name of ["title", "aria-label", "placeholder", "alt"]) {
      const value = (element.getAttribute(name) || "").replace(/\\s+/g, " ").trim();
      if (value) texts.push(value);
    }
  }
  return texts;
}"""
_SCROLL_JS = """() => {
  const root = document.documentElement, width = root.clientWidth;
  if (root.scrollWidth <= width + 1) return null;
  const name = (element) => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
    + [...element.classList].slice(0, 2).map((c) => "." + c).join("");
  // Inside a box that scrolls or clips by itself, an element cannot widen the page.
  const clipped = (element) => {
    for (let e = element.parentElement; e && e !== document.body; e = e.parentElement) {
      if (getComputedStyle(e).overflowX !== "visible") return true;
    }
    return false;
  };
  const out = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    const parent = element.parentElement;
    if (box.width === 0 || box.right <= width + 1 || !parent) continue;
    if (parent !== document.body && parent.getBoundingClientRect().right > width + 1) continue;
    if (clipped(element)) continue;
    const path = [element, parent, parent.parentElement].filter(Boolean).reverse().map(name).join(" > ");
    out.push(path + " (to " + Math.round(box.right) + "px)");
    if (out.length === 3) break;
  }
  return {scroll: root.scrollWidth, width: width, offenders: out};
}"""
# Counts htmx requests in flight, so a page is measured once its panels have been swapped in.
_HTMX_JS = """
window.__walkPending = 0;
document.addEventListener("htmx:beforeRequest", () => { window.__walkPending += 1; });
document.addEventListener("htmx:afterRequest", () => { window.__walkPending = Math.max(0, window.__walkPending - 1); });
"""


class Stop(NamedTuple):
    """One page of a role's walk: its name in the report, its path, whether it is photographed, and the
    status it answers with (a 403 or 404 page is walked as a page of its own)."""

    name: str
    path: str
    shot: bool = False
    status: int = 200


@dataclass(frozen=True)
class Problem:
    kind: str
    role: str
    page: str
    where: str  # language and width, e.g. "zh 390"
    detail: str


# ---------------------------------------------------------------------------------------------------------
# What a text is checked for


@cache
def catalogue() -> tuple[frozenset[str], re.Pattern[str]]:
    """The English msgids that have Chinese: the plain ones, and one pattern for those with placeholders
    (only those with at least three letters of their own, so a bare "%(a)s, %(b)s" matches nothing)."""
    plain: set[str] = set()
    shaped: list[str] = []
    for entry in polib.pofile(str(CATALOGUE)):
        chinese = entry.msgstr or " ".join(entry.msgstr_plural.values())
        if entry.obsolete or not CJK.search(chinese):
            continue
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            text = " ".join(msgid.split())
            if not _PLACEHOLDER.search(text):
                plain.add(text)
            elif len(re.findall(r"[A-Za-z]", _PLACEHOLDER.sub("", text))) >= 3:
                # A placeholder holds data: in a Chinese page a name, a number or a date, not English words.
                pieces = _PLACEHOLDER.split(text)
                shaped.append("[^a-z]+?".join(re.escape(piece) for piece in pieces))
    return frozenset(plain), re.compile("|".join(f"(?:{p})" for p in shaped) or "(?!)")


def _english_words(text: str) -> list[str]:
    tokens = _NOT_WORDS.sub(" ", text).split()
    return [t for t in tokens if _ENGLISH_WORD.match(t) and t.strip("()“”\"',.;:!?").lower() not in _UNITS]


def untranslated(texts: Iterable[str]) -> list[str]:
    """Texts of a Chinese page that are an English msgid of the catalogue (which has their Chinese), or
    English sentences the catalogue does not know at all (two words or more; three beside Chinese data)."""
    plain, shaped = catalogue()
    found = []
    for text in texts:
        if text in plain or shaped.fullmatch(text):
            found.append(f"“{text}” (catalogue)")
        elif len(_english_words(text)) >= (3 if CJK.search(text) else 2):
            found.append(f"“{text}” (not in the catalogue)")
    return list(dict.fromkeys(found))


def chinese_outside_data(texts: Iterable[str], data: frozenset[str]) -> list[str]:
    """Texts of an English page with Chinese that is not the demo's own data (a name, an opinion, a
    narrative, a document number): with every data string taken out, each run of Chinese left must be
    part of one (a shortened one) and at least two characters long."""
    values = sorted(data, key=len, reverse=True)
    found = []
    for text in texts:
        if not CJK.search(text):
            continue
        rest = text
        for value in values:
            if value in rest:
                rest = rest.replace(value, " ")
        runs = [run.rstrip("，。；：、（）…") for run in CJK_RUN.findall(rest)]
        if any(len(run) < 2 or not any(run in value for value in values) for run in runs):
            found.append(f"“{text[:120]}”")
    return list(dict.fromkeys(found))


def codes(texts: list[str], *, chinese: bool) -> list[str]:
    """The raw codes in a page's texts, each with the text it was found in. In a Chinese page a plain word
    (``draft``, ``open``) is a code unless it is part of an English sentence, which is an untranslated
    string (``untranslated``), not a list of codes."""
    found = []
    for text in texts:
        plain = chinese and len(_english_words(text)) < 2
        found += [f"{code} in “{text[:100]}”" for code in find_codes(text, plain=plain)]
    return list(dict.fromkeys(found))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def data_strings() -> frozenset[str]:
    """Every Chinese string the demo stored as data (names, opinions, narratives, datasets), read from the
    database once it is seeded; text the portal writes itself (SYSTEM_TEXT_MODELS) is left out."""
    from django.apps import apps
    from django.db import models

    values: set[str] = set()
    for model in apps.get_models():
        kept = SYSTEM_TEXT_MODELS.get(model._meta.label)
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and (kept is None or f.name in kept)
        ]
        if not names:
            continue
        for row in model._default_manager.values_list(*names):
            values |= {" ".join(s.split()) for s in _strings(list(row)) if CJK.search(s)}
    return frozenset(values)


# ---------------------------------------------------------------------------------------------------------
# The walk


def output_dir() -> Path:
    """Where the screenshots go: ZCPARK_CI_OUTPUT, or ci-output/ at the top of the project."""
    base = Path(os.environ.get("ZCPARK_CI_OUTPUT") or ROOT / "ci-output")
    folder = base / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Walk:
    """The problems of a whole walk and where its screenshots go."""

    base_url: str
    data: frozenset[str]
    shots: Path
    problems: list[Problem] = field(default_factory=list)
    pages: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    # Each account's signed-in browser state, so the English pass does not sign in again.
    sessions: dict[str, Any] = field(default_factory=dict)

    @contextmanager
    def role(
        self, browser: Any, role: str, username: str | None, password: str, lang: str
    ) -> Iterator[Visitor]:
        """One browser context for a role in a language, signed in as ``username`` (None: the public)."""
        state = self.sessions.get(username or "")
        locale = "zh-CN" if lang == "zh" else "en-US"
        context = browser.new_context(locale=locale, base_url=self.base_url, storage_state=state)
        if lang == "en":
            context.add_cookies([{"name": "django_language", "value": "en", "url": self.base_url}])
        page = context.new_page()
        page.set_default_timeout(15_000)
        visitor = Visitor(self, page, role, lang)
        try:
            if username is not None and state is None:
                visitor.sign_in(username, password)
                self.sessions[username] = context.storage_state()
            yield visitor
        finally:
            context.close()

    def report(self) -> str:
        """Every problem, grouped by kind, then by the pages it was seen on (what was seen on the very same
        pages is listed together, the first few in full)."""
        by_kind: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for problem in self.problems:
            by_kind[problem.kind][problem.detail].append(f"{problem.role}: {problem.page} ({problem.where})")
        spent = ", ".join(f"{name} {value:.0f} s" for name, value in self.seconds.items())
        lines = [f"{len(self.problems)} problems on {self.pages} page loads ({spent})"]
        for kind in sorted(by_kind):
            by_places: dict[tuple[str, ...], list[str]] = defaultdict(list)
            for detail, places in by_kind[kind].items():
                by_places[tuple(dict.fromkeys(places))].append(detail)
            lines.append(f"== {kind} ({sum(len(v) for v in by_kind[kind].values())})")
            for where, details in sorted(by_places.items(), key=lambda item: -len(item[0])):
                more = f"\n    … and {len(details) - 4} more like these" if len(details) > 4 else ""
                lines.append("  " + "\n  ".join(details[:4]) + more)
                shown = "; ".join(where[:5]) + (f"; … {len(where) - 5} more" if len(where) > 5 else "")
                lines.append(f"      at {shown}")
        return "\n".join(lines)


class Visitor:
    """One role's browser tab: opens each stop at both widths and notes what went wrong."""

    def __init__(self, walk: Walk, page: Any, role: str, lang: str) -> None:
        self.walk, self.page, self.role, self.lang = walk, page, role, lang
        self.heard: list[tuple[str, str]] = []
        page.add_init_script(_HTMX_JS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.heard.append(("page error", str(error).splitlines()[0])))
        page.on("response", self._response)
        page.on("requestfailed", self._failed)

    def _own(self, url: str) -> bool:
        return url.startswith(self.walk.base_url)

    def _path(self, url: str) -> str:
        return url[len(self.walk.base_url) :] if self._own(url) else url

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        where = (message.location or {}).get("url", "")
        # A failed load of our own is reported (with its address) by _response.
        if message.text.startswith("Failed to load resource") and self._own(where):
            return
        self.heard.append(("console error", f"{message.text[:200]} ({self._path(where)})"))

    def _response(self, response: Any) -> None:
        if (
            self._own(response.url)
            and response.status >= 400
            and response.request.resource_type != "document"
        ):
            self.heard.append(("failed request", f"{response.status} {self._path(response.url)}"))

    def _failed(self, request: Any) -> None:
        failure = request.failure or ""
        if self._own(request.url) and "ERR_ABORTED" not in failure:
            self.heard.append(("failed request", f"{failure} {self._path(request.url)}"))

    def sign_in(self, username: str, password: str) -> None:
        self.page.goto("/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("form button[type=submit]")
        self.page.wait_for_url("**/home/")

    def _note(self, kind: str, stop: Stop, where: str, detail: str) -> None:
        self.walk.problems.append(Problem(kind, self.role, f"{stop.name} {stop.path}", where, detail))

    def visit(self, stop: Stop, *, shot: bool) -> None:
        """Open ``stop`` at each width (a full-page screenshot at each if ``shot``); its text is read once
        (it is the same markup at both)."""
        for index, (label, (width, height)) in enumerate(WIDTHS.items()):
            where = f"{self.lang} {width}"
            self.page.set_viewport_size({"width": width, "height": height})
            self.heard.clear()
            started = time.monotonic()
            response = self.page.goto(stop.path)
            self.walk.pages += 1
            status = response.status if response is not None else 0
            if status != stop.status:
                self._note("page status", stop, where, f"{status}, expected {stop.status}")
            try:
                self.page.wait_for_function("window.__walkPending === 0", timeout=10_000)
            except PlaywrightTimeout:  # a panel that never answers is itself a problem
                self._note("failed request", stop, where, "an htmx request still pending after 10 s")
            self.walk.seconds["loading"] += time.monotonic() - started
            started = time.monotonic()
            overflow = self.page.evaluate(_SCROLL_JS)
            if overflow:
                detail = f"scrollWidth {overflow['scroll']} > {overflow['width']}: " + ", ".join(
                    overflow["offenders"]
                )
                self._note("horizontal scroll", stop, where, detail)
            if index == 0:
                self._read(stop, self.lang)
            self.walk.seconds["checking"] += time.monotonic() - started
            if shot:
                started = time.monotonic()
                name = re.sub(r"[^a-z0-9]+", "-", f"{self.lang}-{self.role}-{stop.name}".lower()).strip("-")
                self.page.screenshot(path=str(self.walk.shots / f"{name}-{label}.png"), full_page=True)
                self.walk.seconds["screenshots"] += time.monotonic() - started
            for kind, detail in list(dict.fromkeys(self.heard)):
                self._note(kind, stop, where, detail)

    def _read(self, stop: Stop, lang: str) -> None:
        texts = self.page.evaluate(_TEXT_JS)
        where = f"{lang} text"
        for detail in codes(texts, chinese=lang == "zh"):
            self._note("raw code", stop, where, detail)
        if lang == "zh":
            for detail in untranslated(texts):
                self._note("untranslated (English in Chinese)", stop, where, detail)
        else:
            for detail in chinese_outside_data(texts, self.walk.data):
                self._note("untranslated (Chinese in English)", stop, where, detail)


def write_results(walk: Walk) -> None:
    """The problems beside the screenshots, for a CI job to attach: problems.json (one row each) and
    report.txt (as the failing test prints them)."""
    rows = [problem.__dict__ for problem in walk.problems]
    (walk.shots / "problems.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    (walk.shots / "report.txt").write_text(walk.report() + "\n")
