"""A notification reads in its reader's language, not its sender's (issue 13, point 7): its title and
message are kept as msgid and parameters and rendered when the page shows them; rows written before keep
showing their text; the e-mail goes in the portal's default language."""

from __future__ import annotations

from types import SimpleNamespace
from unittest import mock

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy

from evaluation.services.common import notify
from zcpark.core.models import Notice, Notification, render_notice
from zcpark.core.services import notification_send

SUBMITTED = gettext_noop("%(year)s annual report submitted")


def _reader(user, language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


def test_a_notice_is_stored_as_msgid_and_parameters_and_renders_in_each_language(world):
    (note,) = notification_send(recipients=[world.staff_a], title=Notice(SUBMITTED, year=2026))
    note.refresh_from_db()
    assert note.title_message == {"msgid": SUBMITTED, "params": {"year": 2026}}
    assert note.title == "2026 年度报告已提交"  # the default language: what the e-mail and the admin show
    with translation.override("en"):
        assert note.title_text == "2026 annual report submitted"
    with translation.override("zh-hans"):
        assert note.title_text == "2026 年度报告已提交"


def test_a_lazy_translation_inside_a_notice_is_kept_as_its_msgid(world):
    title = Notice(
        gettext_noop("%(park)s: %(event)s"), park="南昌测试园", event=gettext_lazy("Construction started")
    )
    (note,) = notification_send(
        recipients=[world.staff_a], title=title, body=gettext_lazy("Expert opinion submitted")
    )
    note.refresh_from_db()
    assert note.title_message["params"]["event"] == {"msgid": "Construction started", "params": {}}
    with translation.override("en"):
        assert (note.title_text, note.body_text) == (
            "南昌测试园: Construction started",
            "Expert opinion submitted",
        )
    with translation.override("zh-hans"):
        assert (note.title_text, note.body_text) == ("南昌测试园：已开始建设", "评审专家意见已提交")


def test_a_message_with_a_context_keeps_it():
    notice = Notice.of(pgettext_lazy("notice", "Construction started"))
    assert notice is not None and notice.as_json() == {
        "msgid": "Construction started",
        "params": {},
        "context": "notice",
    }
    with translation.override("en"):
        assert notice.render() == "Construction started"


def test_plain_text_stays_as_written(world):
    (note,) = notification_send(recipients=[world.staff_a], title="请补充材料", body="整改意见：补充计量台账")
    note.refresh_from_db()
    assert (note.title_message, note.body_message) == ({}, {})
    with translation.override("en"):
        assert (note.title_text, note.body_text) == ("请补充材料", "整改意见：补充计量台账")


def test_a_row_from_before_the_messages_were_kept_still_reads(world):
    old = Notification.objects.create(
        recipient=world.staff_a, title="南昌测试园：已开始建设", body="旧的通知"
    )
    with translation.override("en"):
        assert (old.title_text, old.body_text) == ("南昌测试园：已开始建设", "旧的通知")


def test_a_translation_that_lost_a_placeholder_falls_back_to_english():
    with mock.patch("zcpark.core.models.gettext", return_value="%(park)s 的 %(missing)s"):
        assert render_notice({"msgid": "%(park)s: done", "params": {"park": "南昌"}}) == "南昌: done"


def test_the_list_shows_each_reader_their_language(world):
    notification_send(recipients=[world.staff_a, world.staff_b], title=Notice(SUBMITTED, year=2027))
    english = _reader(world.staff_a, "en").get(reverse("portal:notifications")).content.decode()
    chinese = _reader(world.staff_b, "zh-hans").get(reverse("portal:notifications")).content.decode()
    assert "2027 annual report submitted" in english and "年度报告已提交" not in english
    assert "2027 年度报告已提交" in chinese


def test_the_email_goes_in_the_default_language_whoever_sends(world, django_capture_on_commit_callbacks):
    world.staff_a.email = "staff@example.cn"
    world.staff_a.save()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[world.staff_a], title=Notice(SUBMITTED, year=2026))
    (message,) = mail.outbox
    assert "2026 年度报告已提交" in message.subject


def test_a_park_event_reads_in_the_readers_language(world):
    project = SimpleNamespace(park=world.park_a, pk=1)
    with mock.patch("evaluation.services.common.project_people", return_value=[world.staff_a]):
        notify(project, ("park_staff",), event=Notice(SUBMITTED, year=2026))  # type: ignore[arg-type]
    note = Notification.objects.get(recipient=world.staff_a)
    assert note.url == reverse("evaluation:project-detail", args=[1])
    with translation.override("en"):
        assert note.title_text == f"{world.park_a.name}: 2026 annual report submitted"
    with translation.override("zh-hans"):
        assert note.title_text == f"{world.park_a.name}：2026 年度报告已提交"
