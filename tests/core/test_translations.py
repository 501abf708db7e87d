"""The interface is Chinese first: every message has a current zh-hans translation."""

from __future__ import annotations

from pathlib import Path

import polib
from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_chinese_translation():
    po = polib.pofile(str(PO))
    missing = [entry.msgid for entry in po if not entry.obsolete and (not entry.translated() or entry.fuzzy)]
    assert missing == []


def test_translations_keep_every_placeholder():
    po = polib.pofile(str(PO))
    broken = []
    for entry in po:
        # Chinese has one plural form: it follows the plural msgid (which names the count).
        source = entry.msgid_plural or entry.msgid
        for placeholder in ("%(", "{{"):
            if source.count(placeholder) != (entry.msgstr or entry.msgstr_plural.get(0, "")).count(
                placeholder
            ):
                broken.append(entry.msgid)
    assert broken == []


def test_compiled_catalog_is_active_for_zh_hans():
    with translation.override("zh-hans"):
        assert translation.gettext("Sign in") == "登录"
    with translation.override("en"):
        assert translation.gettext("Sign in") == "Sign in"


def test_the_catalogue_compiles_with_gettext():
    """What `make run` does first: msgfmt refuses a catalogue polib still reads (a stray `#|` comment)."""
    import shutil
    import subprocess

    msgfmt = shutil.which("msgfmt")
    assert msgfmt is not None, "gettext's msgfmt is needed (make setup installs it)"
    result = subprocess.run([msgfmt, "--check", str(PO), "-o", "/dev/null"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
