"""The footer's 系统状态 (issue 13, point 2): a page for people, each service up or delayed in words, no JSON,
no database kind or vendor; /healthz stays the JSON machines read."""

from __future__ import annotations

from unittest import mock

from django.core.cache import cache
from django.db import DatabaseError
from django.test import Client, override_settings
from django.urls import reverse

from zcpark.core.health import WORKER_HEARTBEAT_KEY, status_components, worker_heartbeat

VENDOR_WORDS = ("sqlite", "postgres", "redis", "memory://", "eager", "{", "database", "broker")


def _page(client: Client) -> str:
    response = client.get(reverse("status"))
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def test_the_footer_links_to_the_status_page_not_to_the_json(db):
    html = Client().get(reverse("portal:landing")).content.decode()
    assert 'id="footer-status"' in html and f'href="{reverse("status")}"' in html
    assert f'href="{reverse("healthz")}"' not in html


@override_settings(CELERY_BROKER_URL="memory://")
def test_all_services_normal_in_chinese_without_vendor_names(db):
    response = Client().get(reverse("status"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "系统状态" in html and "各项服务运行正常" in html and 'id="mainnav"' in html
    assert html.count('data-ok="yes"') == 2 and 'data-ok="no"' not in html
    assert "业务数据" in html and "导出、报告与邮件" in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0].lower()
    for word in VENDOR_WORDS:
        assert word not in main, word


@override_settings(CELERY_BROKER_URL="memory://")
def test_the_status_page_is_english_when_english_is_chosen(db):
    client = Client()
    client.cookies["django_language"] = "en"
    html = _page(client)
    assert "All services are working normally." in html and "Records and data" in html


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/0")
def test_a_worker_gone_quiet_shows_the_jobs_as_delayed_and_says_what_that_means(db):
    cache.delete(WORKER_HEARTBEAT_KEY)
    with mock.patch("zcpark.core.health.check_broker") as broker:
        broker.return_value.ok = True
        response = Client().get(reverse("status"))
    html = response.content.decode()
    assert response.status_code == 200  # a page for people; /healthz answers 503
    assert 'data-service="jobs" data-ok="no"' in html and "有延迟" in html
    assert "后台处理程序近期未运行" in html and "部分服务有延迟" in html
    worker_heartbeat()


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_an_unreachable_queue_is_delayed_not_an_error_text(db):
    (records, jobs) = status_components()
    assert records.ok and not jobs.ok
    assert "任务队列暂时无法连接" in str(jobs.summary) or "job queue cannot be reached" in str(jobs.summary)
    html = _page(Client())
    assert "ConnectionError" not in html and "127.0.0.1" not in html and "OperationalError" not in html


def test_with_the_database_down_the_page_still_answers_in_words(db):
    with mock.patch(
        "zcpark.core.health.connection.cursor", side_effect=DatabaseError("host db:5432 refused")
    ):
        response = Client().get(reverse("status"))
    html = response.content.decode()
    assert response.status_code == 503
    assert "部分服务暂不可用" in html and "暂时无法读取或保存数据" in html
    assert "5432" not in html and "DatabaseError" not in html


def test_healthz_stays_json_for_machines(db):
    worker_heartbeat()
    response = Client().get(reverse("healthz"))
    assert response["Content-Type"] == "application/json"
    assert set(response.json()["checks"]) == {"database", "broker", "worker"}
