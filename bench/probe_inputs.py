"""Probe 3, bad input: what a careless or hostile user sends, each to someone allowed to send it.

* query strings with NUL, invalid UTF-8, an encoded surrogate, huge, negative and non-numeric values;
* JSON bodies with NUL, lone surrogates, 100,000 levels of nesting, 1e999, NaN, a 5 MB string;
* datasets with negative and non-numeric quantities and wrong units (API, calculator, paste, form);
* bad files at every upload (probe_files.py) and half-filled forms, NUL, huge and negative values in
  every form the demo's users fill in (fields read from the page itself).

Every answer must be below 500; a refused request must leave every table and MEDIA_ROOT as they were
("half-written" otherwise); a refusal should name the field or the cell (counted in the notes when it
does not). A bad input that is accepted is listed in the notes, for a person to judge.
"""

from __future__ import annotations

import json
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.forms import BaseFormSet
from probe_common import (
    REDIRECTS,
    Tally,
    Watcher,
    body_text,
    client_for,
    is_login_redirect,
    last_exception,
    short,
)
from probe_files import build_corpus, named_as

CELL = re.compile(r"(?<![A-Za-z])[A-Z]{1,3}[1-9][0-9]{0,6}(?![0-9A-Za-z])")
DOTTED_PATH = re.compile(r"(?<![\w.])[a-z_]+(?:\.[a-z0-9_]+)+")
# Problems with the body as a whole: there is no field to name.
WHOLE_BODY = (
    "NaN",
    "100,000 levels of nesting",
    "not JSON",
    "empty body",
    "a list",
    "11 MB body (past DATA_UPLOAD_MAX_MEMORY_SIZE)",
)
FILE_WORDS = ("file", "文件", "工作簿", "Excel", "xlsx", "MB")
QUERY_VALUES = {
    "NUL": "%00",
    "invalid UTF-8": "%FF%FE",
    "encoded surrogate": "%ED%A0%80",
    "negative": "-1",
    "non-numeric": "abc",
    "huge number": "9" * 40,
    "1e309": "1e309",
    "huge string": "x" * 8000,
}
QUERY_PARAMS = ("q", "sort", "page", "page_size", "status", "year", "city")
LIST_PAGES = (
    "/parks/",
    "/applications/",
    "/calls/",
    "/projects/",
    "/evaluations/",
    "/review/city/",
    "/review/province/",
    "/public/lists/",
    "/public/progress/",
    "/notifications/",
    "/users/",
    "/lists/",
    "/dashboard/",
    "/api/v1/parks/",
    "/api/v1/applications/",
    "/api/v1/projects/",
    "/api/v1/evaluations/",
    "/api/v1/calls/",
    "/api/v1/public/lists/",
    "/api/v1/construction-lists/",
)
RAW_JSON = {
    "NUL in a value": '{"comment": "a\\u0000b", "action": "submit"}',
    "NUL in a key": '{"a\\u0000b": 1}',
    "lone surrogate": '{"comment": "\\ud800", "action": "submit"}',
    "100,000 levels of nesting": "[" * 100_000 + "]" * 100_000,
    "1e999": '{"quota_per_city": 1e999, "period_years": 1e999}',
    "NaN": '{"quota_per_city": NaN, "period_years": NaN}',
    "5 MB string": json.dumps({"comment": "x" * (5 * 1024 * 1024), "title": "y"}),
    "11 MB body (past DATA_UPLOAD_MAX_MEMORY_SIZE)": json.dumps({"comment": "x" * (11 * 1024 * 1024)}),
    "not JSON": "{'single': quotes,}",
    "empty body": "",
    "a list": "[1, 2, 3]",
}


class Forms(HTMLParser):
    """The POST forms of a page: their action and fields (name → (type, first value))."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None
        self.select: str | None = None
        self.labels: dict[str, str] = {}  # id → label text
        self.label_for: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "label" and a.get("for"):
            self.label_for = a["for"]
            self.labels[self.label_for] = ""
        if tag == "form" and a.get("method", "").lower() == "post":
            self.current = {"action": a.get("action", ""), "fields": {}, "files": []}
            self.forms.append(self.current)
        elif self.current is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "file":
                self.current["files"].append(a["name"])
            elif kind not in ("checkbox", "radio", "submit", "button") or "checked" in a:
                self.current["fields"].setdefault(a["name"], (kind, a.get("value", "")))
        elif tag == "textarea":
            self.current["fields"].setdefault(a["name"], ("textarea", ""))
        elif tag == "select":
            self.select = a["name"]
            self.current["fields"].setdefault(a["name"], ("select", ""))
        elif tag == "option" and self.select and self.current["fields"][self.select][1] == "":
            self.current["fields"][self.select] = ("select", a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self.label_for is not None:
            self.labels[self.label_for] += data.strip()

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.label_for = None
        elif tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def main_form(html: str) -> dict[str, Any] | None:
    """The page's own form: the POST form with the most fields, leaving out sign-out and language."""
    parser = Forms()
    parser.feed(html)
    forms = [f for f in parser.forms if not re.search(r"logout|setlang", f["action"])]
    form = max(forms, key=lambda f: len(f["fields"]) + len(f["files"]), default=None)
    if form is not None:  # the labels a message may use instead of a field's name
        form["labels"] = [text.rstrip("*：: ") for text in parser.labels.values() if len(text) >= 2]
    return form


def error_report(response: Any) -> tuple[set[str], list[str]]:
    """(field names or cells the answer's errors are attached to, the error texts)."""
    keys: set[str] = set()
    texts: list[str] = []
    if "json" in response.get("Content-Type", ""):
        try:
            data = response.json()
        except ValueError:
            return keys, texts
        _collect(data, keys, texts)
        return keys, texts
    for context in response.context or []:
        for name, value in context.flatten().items():
            errors = getattr(value, "errors", None)  # a Django form, or the dossier's SectionForm
            if isinstance(value, BaseFormSet):
                for form in value.forms:
                    keys |= {k for k in form.errors if k not in ("__all__", "")}
                texts += [str(m) for m in value.non_form_errors()]
            elif isinstance(errors, dict) and errors:
                keys |= {str(k) for k in errors if k not in ("__all__", "")}
                texts += [str(m) for ms in errors.values() for m in ms]
            elif (
                name in ("upload_errors", "input_errors", "row_errors", "errors") and isinstance(value, list)
            ) or (name in ("message", "refusal") and value):
                _collect(value, keys, texts)
    return keys, texts


def _collect(data: Any, keys: set[str], texts: list[str]) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("cell", "sheet", "path", "row", "column", "field") and value not in ("", None):
                keys.add(f"{key}:{value}")
            elif key == "errors" and isinstance(value, dict):
                keys |= {k for k in value if k not in ("non_field_errors", "")}
            _collect(value, keys, texts)
    elif isinstance(data, list | tuple):
        for item in data:
            _collect(item, keys, texts)
    elif hasattr(data, "__dataclass_fields__"):  # a row error of the zone import, a workbook error
        _collect(vars(data), keys, texts)
    elif data is not None and not isinstance(data, bool | int | float):
        texts.append(str(data))


class Runner:
    """Sends each attempt as one user, and judges the answer and what it left behind."""

    def __init__(self, tally: Tally) -> None:
        from parks.models import User

        self.tally = tally
        self.users = {u.username: u for u in User.objects.all()}
        # Signed in before the first snapshot: signing in writes (last_login, a second-factor device).
        self.clients: dict[str, Any] = {name: client_for(user) for name, user in self.users.items()}
        self.clients["anonymous"] = client_for(None)
        self.watcher = Watcher()

    def client(self, username: str) -> Any:
        return self.clients[username]

    def send(
        self, who: str, method: str, url: str, label: str, fields: tuple[str, ...] | None = (), **kwargs: Any
    ) -> Any:
        """``fields``: what a refusal's message should name (None: the whole request is the problem)."""
        request = f"{method} {short(url, 120)} as {who}: {label}"
        response = getattr(self.client(who), method.lower())(url, **kwargs)
        tally = self.tally
        tally.count()
        code = response.status_code
        if code >= 500:
            tally.errors.append(f"{request} → {code}: {last_exception()}")
        api = url.startswith("/api/")
        accepted = (code in REDIRECTS and not is_login_redirect(response)) or (api and 200 <= code < 300)
        changed = self.watcher.changes()
        if method != "GET" and accepted:
            tally.notes.append(f"ACCEPTED {request} → {code}")
        elif changed:
            tally.half_written.append(f"{request} → {code} changed {changed}")
        elif method != "GET" and code < 500 and fields is not None:
            verdict = self.names_problem(response, fields)
            if verdict:
                tally.notes.append(f"{verdict}: {request} → {code}")
        return response

    def names_problem(self, response: Any, fields: tuple[str, ...]) -> str:
        """ "" when the refusal names a field, a path or a cell; else what is wrong with it."""
        keys, texts = error_report(response)
        if keys:
            return ""
        if not texts and response.context is not None and 200 <= response.status_code < 300:
            return "no error shown (taken as accepted)"
        text = " ".join(texts) if texts else re.sub(r"<[^>]+>", " ", body_text(response))[-4000:]
        if CELL.search(text) or DOTTED_PATH.search(text) or any(f and f in text for f in fields):
            return ""
        return "message names no field or cell"


def run(tally: Tally) -> None:
    from probe_inputs_targets import Targets

    runner = Runner(tally)
    targets = Targets()
    query_strings(runner)
    json_bodies(runner, targets)
    datasets(runner, targets)
    with tempfile.TemporaryDirectory(prefix="zcpark-probe-files-") as directory:
        files = build_corpus(Path(directory))
        for who, url, kind, extra, field, read in targets.uploads():
            for bad in files.values():
                named = named_as(bad, kind)
                if named is None:
                    continue
                names = (field, *FILE_WORDS) if read else None  # refused by state: the file is not read
                upload = named.upload()
                runner.send(
                    who, "POST", url, f"{bad.label} as {named.name}", names, data={**extra, field: upload}
                )
    for who, url, extra in targets.forms():
        forms_of(runner, who, url, extra)


def query_strings(runner: Runner) -> None:
    for url in LIST_PAGES:
        who = "park_nanchang" if url in ("/applications/", "/api/v1/applications/") else "province_demo"
        for param in QUERY_PARAMS:
            for label, value in QUERY_VALUES.items():
                runner.send(who, "GET", f"{url}?{param}={value}", f"{param}={label}")


def json_bodies(runner: Runner, targets: Any) -> None:
    for who, method, url in targets.json_endpoints():
        for label, raw in RAW_JSON.items():
            fields = (
                None
                if label in WHOLE_BODY
                else ("comment", "quota_per_city", "period_years", "title", "a\x00b")
            )
            runner.send(who, method, url, f"JSON {label}", fields, data=raw, content_type="application/json")
        runner.send(who, method, url, "JSON as text/plain", None, data="{}", content_type="text/plain")


def datasets(runner: Runner, targets: Any) -> None:
    """Quantities that make no sense, through the API, the calculator's paste box and its form."""
    for label, document in targets.bad_datasets():
        body = json.dumps(document, ensure_ascii=False)
        for who, method, url in targets.dataset_endpoints():
            runner.send(
                who,
                method,
                url,
                f"dataset: {label}",
                ("energy", "quantity", "unit"),
                data=body,
                content_type="application/json",
            )
        runner.send(
            "park_nanchang",
            "POST",
            "/indicators/calculator/",
            f"calculator paste: {label}",
            ("energy", "quantity", "unit"),
            data={"mode": "paste", "scheme": targets.scheme, "text": body},
        )
    for label, quantity, unit in (
        ("negative", "-5", "t"),
        ("non-numeric", "abc", "t"),
        ("wrong unit", "5", "light-year"),
        ("huge", "9" * 60, "t"),
    ):
        runner.send(
            "park_nanchang",
            "POST",
            "/indicators/calculator/",
            f"calculator form: {label} quantity",
            ("quantity", "unit"),
            data={
                "mode": "form",
                "scheme": targets.scheme,
                "park_type": "non_chemical",
                "year": "2025",
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "0",
                "form-0-carrier": "diesel",
                "form-0-quantity": quantity,
                "form-0-unit": unit,
                "form-0-use": "fuel",
            },
        )


def read_form(runner: Runner, who: str, url: str) -> dict[str, Any] | None:
    """The page's form as it stands now (its hidden version changes with every save)."""
    page = runner.client(who).get(url)
    runner.tally.count()
    if page.status_code >= 500:
        runner.tally.errors.append(f"GET {url} as {who} → {page.status_code}: {last_exception()}")
        return None
    form = main_form(body_text(page)) if page.status_code == 200 else None
    if form is None:
        runner.tally.notes.append(f"no form found on {url} for {who} ({page.status_code})")
    return form


def forms_of(runner: Runner, who: str, url: str, extra: dict[str, str]) -> None:
    """The form on ``url`` sent half-filled, and with NUL, huge, negative and non-numeric values."""
    # The values that must be refused first: half-filled and empty drafts are often accepted (a draft
    # may be incomplete), and once saved they would leave the later variants no rows to spoil.
    variants = (
        "NUL in every text field",
        "huge text (20,000 characters)",
        "negative numbers",
        "non-numeric numbers",
        "invalid UTF-8 in text fields",
        "11 MB in one field (past DATA_UPLOAD_MAX_MEMORY_SIZE)",
        "half-filled (first field only)",
        "empty",
    )
    for label in variants:
        form = read_form(runner, who, url)
        if form is None:
            return
        kinds = {name: kind for name, (kind, _value) in form["fields"].items()}
        fields = {name: value for name, (_kind, value) in form["fields"].items()}
        hidden = {n: v for n, v in fields.items() if kinds[n] == "hidden"}
        texts = [n for n in fields if kinds[n] in ("text", "textarea", "email", "tel", "url", "search")]
        numbers = [
            n
            for n in fields
            if kinds[n] == "number" or re.search(r"quantity|amount|wan|_t$|year|pct|progress|quota", n)
        ]
        visible = [n for n in fields if n not in hidden]
        names = (*visible, *form["labels"])
        if (label.startswith(("negative", "non-numeric")) and not numbers) or (
            label.startswith(("NUL", "huge", "invalid")) and not texts
        ):
            continue
        data = {
            "half-filled (first field only)": {
                **hidden,
                **({visible[0]: fields[visible[0]]} if visible else {}),
            },
            "empty": hidden,
            "NUL in every text field": {**fields, **dict.fromkeys(texts, "a\x00b")},
            "huge text (20,000 characters)": {**fields, **dict.fromkeys(texts, "長" * 20000)},
            "negative numbers": {**fields, **dict.fromkeys(numbers, "-1")},
            "non-numeric numbers": {**fields, **dict.fromkeys(numbers, "abc")},
            "11 MB in one field (past DATA_UPLOAD_MAX_MEMORY_SIZE)": {
                **fields,
                **{texts[0]: "x" * (11 * 1024 * 1024)},
            }
            if texts
            else None,
        }.get(label)
        target = form["action"] or url
        if label.startswith("11 MB"):
            if data is not None:
                runner.send(who, "POST", target, f"form {label}", None, data={**data, **extra})
        elif data is None:  # raw bytes: the test client would encode a str as valid UTF-8
            from urllib.parse import urlencode

            body = "&".join([urlencode({**hidden, **extra}), *(f"{n}=%ED%A0%80" for n in texts[:3])])
            runner.send(
                who,
                "POST",
                target,
                f"form: {label}",
                tuple(visible),
                data=body,
                content_type="application/x-www-form-urlencoded",
            )
        else:
            runner.send(who, "POST", target, f"form {label}", names, data={**data, **extra})
