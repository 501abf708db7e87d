"""The error pages (issue 13, point 2): 400, 403, 404 and 500 in Chinese (English when chosen), inside the
site's frame with a way home, never Django's debug page nor a bare "403 Forbidden"; a 403 logs once, without
a traceback; under /api/ the JSON error shape stays."""

from __future__ import annotations

import json
import logging

import pytest
from django.db import DatabaseError
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path, reverse
from django.utils import translation

from zcpark.core import views
from zcpark.core.logging import REQUEST_LINE_ATTR, AnsweredOnceFilter


def _crash(request):
    raise RuntimeError("boom")


# The portal's URLconf with one crashing page (handler500 is read from the URLconf in use).
urlpatterns = [path("crash/", _crash), path("", include("zcpark.urls"))]
handler400 = "zcpark.core.views.bad_request"
handler403 = "zcpark.core.views.permission_denied"
handler404 = "zcpark.core.views.not_found"
handler500 = "zcpark.core.views.server_error"


def _english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def _text(response) -> str:
    return response.content.decode()


# -- 404 -------------------------------------------------------------------------------------------------


def test_a_404_is_chinese_inside_the_frame_with_a_way_home(world, login):
    response = login(world.staff_a).get("/no-such-page/")
    html = _text(response)
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert "页面不存在" in html and "返回首页" in html
    assert 'id="mainnav"' in html and 'id="user-menu"' in html  # the site's navigation, signed in
    assert 'id="error-home"' in html and f'href="{reverse("portal:landing")}"' in html
    assert "请核对地址" in html  # what to do


def test_a_404_is_english_when_english_is_chosen(db):
    html = _text(_english(Client()).get("/no-such-page/"))
    assert "Page not found" in html and "Back to home" in html and 'lang="en"' in html
    assert "页面不存在" not in html


def test_an_out_of_scope_object_answers_the_same_404_page(world, login):
    note = world.staff_b.notifications.create(title="赣州的通知")
    response = login(world.staff_a).post(reverse("portal:notification-open", args=[note.pk]))
    assert response.status_code == 404 and "页面不存在" in _text(response)


@override_settings(DEBUG=True)
@pytest.mark.parametrize("address", ["/no-such-page/", "/parks/999999/"])
def test_with_debug_on_a_404_still_never_lists_the_url_patterns(world, login, address):
    response = login(world.province).get(address)
    html = _text(response)
    assert response.status_code == 404
    assert "页面不存在" in html and 'id="mainnav"' in html
    for debug_words in (
        "URLconf",
        "tried these URL patterns",
        "healthz",
        "DEBUG = True",
        "Page not found at",
    ):
        assert debug_words not in html


@override_settings(DEBUG=True)
def test_with_debug_on_an_api_404_keeps_its_json(db):
    response = Client().get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and set(response.json()) == {"detail", "errors"}


@override_settings(DEBUG=True)
def test_with_debug_on_a_missing_slash_still_redirects(world, login):
    assert login(world.province).get("/home").status_code == 301


# -- 403 -------------------------------------------------------------------------------------------------


def test_a_403_is_chinese_inside_the_frame_and_says_what_to_do(world, login):
    response = login(world.staff_a).get(reverse("parks:user-list"))
    html = _text(response)
    assert response.status_code == 403
    assert "您无权访问此页面" in html and "返回首页" in html and 'id="mainnav"' in html
    assert "请联系为您开通账号的管理员" in html
    assert "Forbidden" not in html


def test_a_403_is_english_when_english_is_chosen(world):
    client = _english(Client())
    client.force_login(world.staff_a)
    html = _text(client.get(reverse("parks:user-list")))
    assert "You cannot open this page" in html and "Back to home" in html


def _warnings(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_a_403_logs_once_without_a_traceback(world, login, caplog):
    client = login(world.staff_a)
    with caplog.at_level(logging.INFO):
        assert client.get(reverse("parks:user-list")).status_code == 403
    lines = _warnings(caplog)
    assert len(lines) == 1, [record.getMessage() for record in lines]
    (line,) = lines
    assert line.msg["event"] == "request_finished" and line.msg["code"] == 403
    assert line.exc_info is None and "exception" not in line.msg


def test_a_refused_form_gets_a_friendly_page_and_one_log_line_with_the_reason(world, caplog):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff_a)
    with caplog.at_level(logging.INFO):
        response = client.post(reverse("portal:notifications-read-all"))
    html = _text(response)
    assert response.status_code == 403
    assert "表单未能提交" in html and "刷新页面后重新提交" in html and 'id="mainnav"' in html
    assert "Forbidden" not in html and "CSRF verification failed" not in html
    (line,) = _warnings(caplog)
    assert line.msg["code"] == 403 and "CSRF" in line.msg["csrf_reason"] and line.exc_info is None


def test_a_404_logs_once(world, login, caplog):
    with caplog.at_level(logging.INFO):
        login(world.staff_a).get("/no-such-page/")
    assert [record.msg["code"] for record in _warnings(caplog)] == [404]


def test_a_refusal_answered_before_the_request_line_keeps_djangos_line():
    """Django's own 4xx line is dropped only for a request that reached django_structlog's middleware (which
    writes the request's line); a 5xx line always stays."""
    request = RequestFactory().get("/somewhere/")
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden", (), None)
    record.status_code, record.request = 403, request
    assert AnsweredOnceFilter().filter(record) is True
    setattr(request, REQUEST_LINE_ATTR, True)
    assert AnsweredOnceFilter().filter(record) is False
    record.status_code = 500
    assert AnsweredOnceFilter().filter(record) is True


# -- 400 -------------------------------------------------------------------------------------------------


@override_settings(ALLOWED_HOSTS=["testserver"])
def test_a_400_is_the_portals_page(db):
    response = Client().get("/", HTTP_HOST="elsewhere.example")
    html = _text(response)
    assert response.status_code == 400
    assert "无法读取该请求" in html and "返回首页" in html and "Bad Request" not in html


# -- 500 -------------------------------------------------------------------------------------------------


@override_settings(ROOT_URLCONF=__name__)
def test_a_500_is_chinese_with_a_way_home_and_no_details(db):
    response = Client(raise_request_exception=False).get("/crash/")
    html = _text(response)
    assert response.status_code == 500
    assert "系统出现错误" in html and "返回首页" in html and "boom" not in html
    assert "Traceback" not in html and "Server Error" not in html


@override_settings(ROOT_URLCONF=__name__)
def test_a_500_is_english_when_english_is_chosen(db):
    html = _text(_english(Client(raise_request_exception=False)).get("/crash/"))
    assert "Something went wrong on our side" in html and "Back to home" in html


def test_the_500_page_needs_no_database_and_no_context_processor():
    """No django_db mark: any query would fail the test."""
    request = RequestFactory().get("/somewhere/")
    with translation.override("zh-hans"):
        response = views.server_error(request)
    assert response.status_code == 500 and "系统出现错误" in _text(response)


def test_a_page_whose_frame_fails_falls_back_to_the_plain_page(world, login, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr("portal.navigation.navigation_for", broken)
    response = login(world.staff_a).get("/no-such-page/")
    html = _text(response)
    assert response.status_code == 404 and "页面不存在" in html and "返回首页" in html
    assert "went away" not in html


@override_settings(ROOT_URLCONF=__name__)
def test_under_the_api_the_error_shape_stays_json(world, login):
    response = login(world.staff_a).get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and set(response.json()) == {"detail", "errors"}
    request = RequestFactory().get("/api/v1/parks/")
    denied = views.permission_denied(request, PermissionError())
    assert denied.status_code == 403 and set(json.loads(denied.content)) == {"detail", "errors"}
