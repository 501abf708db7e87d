"""English is chosen, never imposed, and names itself (issue 13, point 7): the language switch lists
"中文（简体）" and "English", each in its own language whatever the page's language; Chinese stays the default."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse


def _options(html: str) -> list[tuple[str, str]]:
    select = html.split('id="language-form"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', select)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_switch_names_both_languages_the_same_way_on_every_page(db, language):
    client = Client()
    client.cookies["django_language"] = language
    html = client.get(reverse("portal:landing")).content.decode()
    assert _options(html) == [("zh-hans", "中文（简体）"), ("en", "English")]
    assert f'<option value="{language}" selected>' in html


def test_chinese_is_the_default_whatever_the_browser_asks(db):
    html = Client().get(reverse("portal:landing"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in html


def test_choosing_english_with_the_switch_keeps_the_page(world):
    client = Client()
    client.force_login(world.staff_a)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("portal:notifications")}
    )
    assert response.status_code == 302 and response.url == reverse("portal:notifications")
    html = client.get(reverse("portal:notifications")).content.decode()
    assert '<html lang="en">' in html and "Notifications" in html
