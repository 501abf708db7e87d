"""The password rules refuse what a guesser tries first and speak Chinese (issue 12, finding 8)."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from parks.services import user_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password",
    ["Jiangxi2026!", " " * 12, "aaaaaaaaaaaa", "Zcpark-2026!", "Password-2026", "abcdefghij"],
)
def test_a_guessable_or_simple_password_is_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["Qx7!mR2#vL9p", "a-new-long-passphrase", "碳达峰-2030-园区Ok"])
def test_a_strong_password_or_passphrase_passes(password):
    validate_password(password)


def test_the_province_cannot_create_an_account_with_a_weak_password(world):
    with pytest.raises(ValidationError):
        user_create(by=world.province, username="weak", password="Jiangxi2026!", role="observer")


def test_the_messages_are_chinese_in_the_chinese_interface():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_password("Ab1!")
    assert all(not message.isascii() for message in caught.value.messages)
