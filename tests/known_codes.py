"""Every internal code that must never reach a person, and ``find_codes`` that finds them in a text.

The codes are read from the registries that define them (state and action labels, the choices of every
model field, the label dictionaries of the accounting, the keys of a result document, the fixtures'
scheme and factor-set names), so a code added there is searched for without touching this file. A code
is flagged as a whole token only; plain words (``draft``, ``fail``, ``open``) are flagged in Chinese text
only (``find_codes(text, plain=True)``), where an English word can only be a code that slipped through.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# What a code looks like beside plain words: snake_case, a dotted path, a dashed version name.
_CODE_SHAPE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[_.\-][A-Za-z0-9]+)+$")
# A lower-case word of at least three letters (a state or status code a Chinese page must not show).
_PLAIN_WORD = re.compile(r"^[a-z]{3,}$")

# Spellings that are never a label: units as the engine writes them, the comparisons as typed, a status in
# brackets as a diff once printed it, a boolean as a PDF once printed it.
LITERALS = (
    "10^4",
    "10^8",
    "Nm3",
    "<=",
    ">=",
    "(pass)",
    "(fail)",
    "(exempt)",
    "(no_data)",
    "false（否）",
    "true（是）",
    "cn-2025.1",  # the factor set the issue saw printed (the fixtures now hold its successor)
)

# Python's literals: flagged where they stand alone (not "None of the parks…"), in every language.
STANDALONE = ("True", "False", "None")

# Plain words that are codes elsewhere but ordinary in a Chinese page: units, abbreviations, names.
PLAIN_ALLOWED = frozenset({"tce", "gce", "tco", "mwh", "kwh", "ccer", "pdf", "zip", "xlsx", "json", "csv"})


def _keys(value: Any) -> Iterable[str]:
    """Every key of a JSON document, recursively."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key)
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def _choice_values() -> set[str]:
    from django.apps import apps

    values: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for choice in getattr(field, "choices", None) or []:
                if isinstance(choice[0], str):
                    values.add(choice[0])
    return values


def _label_dict_keys() -> set[str]:
    """The keys of every ``*_LABELS`` dictionary of the accounting (pages') and the workbook's labels."""
    from indicators import models as indicator_models
    from indicators.workbook import value_labels

    keys: set[str] = set()
    for module in (indicator_models, value_labels):
        for name in dir(module):
            value = getattr(module, name)
            if name.isupper() and isinstance(value, Mapping):
                keys |= {key for key in value if isinstance(key, str)}
    keys |= set(indicator_models.IndicatorCode.values) | set(indicator_models.GridBasis.values)
    return keys


def _fixture_codes() -> set[str]:
    """Scheme, factor-set, method and carrier codes of the reference data, and a result's keys."""
    codes: set[str] = set()
    for path in sorted((ROOT / "fixtures").rglob("*.json")):
        document = json.loads(path.read_text())
        for key in ("name", "code", "scheme_code"):
            if isinstance(document.get(key), str):
                codes.add(document[key])
        codes.add((document.get("method") or {}).get("code") or "")
        codes |= {c["code"] for c in document.get("carriers") or [] if "code" in c}
        codes |= {str(k) for k in document.get("provisional_texts") or {}}
    for path in sorted((ROOT / "tests" / "cases").glob("*.expected.json")):
        codes |= set(_keys(json.loads(path.read_text()).get("result") or {}))
    for path in sorted((ROOT / "tests" / "cases").glob("*.dataset.json")):
        codes |= set(_keys(json.loads(path.read_text())))
    return codes - {""}


@cache
def known_codes() -> tuple[frozenset[str], frozenset[str]]:
    """(codes flagged everywhere, plain-word codes flagged where they stand alone: in Chinese text, and
    Python's literals in any). Needs Django set up."""
    from zcpark.core.machines import MACHINES
    from zcpark.core.models import ACTION_LABELS, STATE_LABELS

    everything = (
        set(STATE_LABELS)
        | set(ACTION_LABELS)
        | {t.verb for machine in MACHINES.values() for t in machine.transitions}
        | _choice_values()
        | _label_dict_keys()
        | _fixture_codes()
    )
    shaped = {code for code in everything if _CODE_SHAPE.match(code)}
    plain = {code for code in everything if _PLAIN_WORD.match(code) and code not in PLAIN_ALLOWED}
    return frozenset(shaped | set(LITERALS)), frozenset(plain | set(STANDALONE))


# A whole token: not inside a longer ASCII word, version or number ("cn-2026.1" is not "cn-2026"; a CJK
# neighbour does not make a token part of a word); a dotted path (electricity_mwh.grid) holds codes.
_BEFORE = r"(?<![A-Za-z0-9_@/^])(?<![A-Za-z0-9]-)(?<![0-9]\.)"
_AFTER = r"(?![A-Za-z0-9_@^]|-[A-Za-z0-9]|\.[0-9])"


def _pattern(codes: Iterable[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(code) for code in sorted(codes, key=len, reverse=True))
    # A whole token: not inside a longer word, path or number (an e-mail address or a URL is not a code).
    return re.compile(rf"{_BEFORE}(?:{alternatives}){_AFTER}")


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    codes, plain = known_codes()
    words = [c for c in codes if c[0].isalnum()]
    symbols = [c for c in codes if not c[0].isalnum()]
    # Symbols ("<=", "(pass)") need no word boundary.
    spelled = "|".join(re.escape(symbol) for symbol in sorted(symbols, key=len, reverse=True))
    combined = re.compile(f"{_pattern(words).pattern}|(?:{spelled})")
    return combined, re.compile(rf"{_BEFORE}(?:{'|'.join(sorted(plain))}){_AFTER}")


# Where a code-like spelling is a person's or a file's own name, not a code.
_EMAIL_OR_URL = re.compile(r"[\w.+\-]+@[\w.\-]+|https?://\S+")


# What may sit between two words of an English phrase.
_PHRASE_GAP = " \t,.;:'\"()!?-"


def _in_english(text: str, start: int, end: int) -> bool:
    """Whether a plain word is part of an English phrase (a neighbouring ASCII word on its line): a missing
    translation, which the translation tests catch, rather than a code standing alone."""
    before = text[:start].rstrip(_PHRASE_GAP)
    after = text[end:].lstrip(_PHRASE_GAP)
    return bool(before and before[-1].isascii() and before[-1].isalpha()) or bool(
        after and after[0].isascii() and after[0].isalpha()
    )


def find_codes(text: str, *, plain: bool = False) -> list[str]:
    """The known codes in ``text`` (each once, in order of appearance). ``plain``: also plain-word codes that
    stand alone (for text in Chinese, where such a word can only be a code)."""
    found = []
    combined, words = _patterns()
    for line in _EMAIL_OR_URL.sub(" ", text).splitlines():
        found += [m.group(0) for m in combined.finditer(line)]
        found += [
            m.group(0)
            for m in words.finditer(line)
            if (plain or m.group(0) in STANDALONE) and not _in_english(line, m.start(), m.end())
        ]
    return list(dict.fromkeys(found))


def __getattr__(name: str) -> Any:
    """``KNOWN_CODES``: every known code (read from the registries when first asked for, once Django is set up)."""
    if name == "KNOWN_CODES":
        codes, plain = known_codes()
        return codes | plain
    raise AttributeError(name)
