"""The home page's to-do rows: each waiting object as (link, title, meta, badges) for components/todo_group.html."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

register = template.Library()


@dataclass(frozen=True)
class TodoRow:
    url: str
    title: str
    meta: str = ""
    data: tuple[tuple[str, Any], ...] = ()
    lead_badge: tuple[str, str] | None = None  # (text, colour) before the meta
    badge: tuple[str, str] | None = None  # (text, colour) after the meta
    muted: bool = True


def _ymd(value: Any) -> str:
    return date_filter(value, "Y-m-d")


def _overdue(late: bool) -> tuple[str, str] | None:
    return (gettext("overdue"), "danger") if late else None


def _due(due_on: date) -> str:
    return gettext("due %(date)s") % {"date": _ymd(due_on)}


def _deadline(deadline: date) -> str:
    return gettext("deadline %(date)s") % {"date": _ymd(deadline)}


def _application(a: Any, meta: str) -> TodoRow:
    url = reverse("applications:application-detail", args=[a.pk])
    return TodoRow(url, a.park.name, meta, (("application", a.pk),))


def _self_assessment(p: Any) -> str:
    if p.extension_requested:
        return gettext("Extension requested: waiting for the province")
    if p.self_assessment_submitted:
        return gettext("Self-assessment submitted: request acceptance")
    return gettext("Write the self-assessment for %(year)s") % {"year": p.final_year}


def _evaluation(e: Any) -> str:
    if e.needs == "experts":
        return ngettext(
            "Assign experts (%(counter)s assigned)", "Assign experts (%(counter)s assigned)", e.assigned
        ) % {"counter": e.assigned}
    return gettext("Every expert has submitted: record the decision")


def _order(o: Any, meta: str, badge: tuple[str, str] | None = None, *, with_park: bool = True) -> TodoRow:
    title = f"{o.project.park.name} · {o.title}" if with_park else o.title
    return TodoRow(
        reverse("evaluation:order-detail", args=[o.pk]), title, meta, (("order", o.pk),), badge=badge
    )


def _city_report(r: Any, **kwargs: Any) -> TodoRow:
    url = reverse("evaluation:city-report-detail", args=[r.pk])
    return TodoRow(
        url,
        f"{r.city.name} · {r.period_label}",
        _due(r.due_on),
        (("city-report", r.pk),),
        muted=False,
        **kwargs,
    )


def _question(m: Any) -> str:
    return f"{date_filter(m.created_at, 'Y-m-d H:i')} · {m.role_label} · {Truncator(m.text).chars(120)}"


ROWS: dict[str, Callable[[Any, date], TodoRow]] = {
    "questions": lambda m, today: TodoRow(m.link, m.about, _question(m), (("message", m.pk),)),
    "submitted": lambda a, today: _application(a, f"{a.call.title} · {_ymd(a.submitted_at)}"),
    "recommended": lambda a, today: _application(a, f"{a.park.zone.city.name} · {a.call.title}"),
    "approved": lambda a, today: _application(a, f"{a.park.zone.city.name} · {_ymd(a.decided_at)}"),
    "lists": lambda lst, today: TodoRow(
        reverse("applications:list-detail", args=[lst.pk]),
        lst.title,
        ngettext(
            "%(counter)s park · objections until %(date)s",
            "%(counter)s parks · objections until %(date)s",
            lst.park_count,
        )
        % {"counter": lst.park_count, "date": _ymd(lst.objection_deadline)},
        (("list", lst.pk),),
    ),
    "objections": lambda o, today: TodoRow(
        reverse("applications:objection-detail", args=[o.pk]),
        o.park.name,
        f"{o.construction_list.title} · {_ymd(o.received_on)}",
        (("objection", o.pk),),
    ),
    "exemptions": lambda c, today: TodoRow(
        reverse("applications:application-detail", args=[c.application_id]) + "#exemptions",
        c.application.park.name,
        c.get_indicator_display(),
        (("claim", c.pk),),
    ),
    "reports": lambda r, today: TodoRow(
        reverse("evaluation:report-detail", args=[r.project_id, r.year]),
        gettext("The %(year)s annual report") % {"year": r.year},
        _due(r.due_on),
        (("report", r.pk),),
        badge=_overdue(r.due_on < today),
        muted=False,
    ),
    "orders_to_answer": lambda o, today: _order(
        o, _deadline(o.deadline), _overdue(o.status == "overdue" or o.deadline < today), with_park=False
    ),
    "self_assessments": lambda p, today: TodoRow(
        reverse("evaluation:self-assessment", args=[p.pk]),
        p.park.name,
        _self_assessment(p),
        (("project", p.pk),),
    ),
    "orders_to_close": lambda o, today: _order(
        o,
        f"{o.project.park.zone.city.name} · " + gettext("answered %(date)s") % {"date": _ymd(o.answered_at)},
    ),
    "orders_overdue": lambda o, today: _order(
        o, f"{o.project.park.zone.city.name} · {_deadline(o.deadline)}", _overdue(True)
    ),
    "extensions": lambda r, today: TodoRow(
        reverse("evaluation:project-extension", args=[r.project_id]),
        r.project.park.name,
        f"{r.project.park.zone.city.name} · "
        + ngettext("%(counter)s more year", "%(counter)s more years", r.years) % {"counter": r.years},
        (("request", r.pk),),
    ),
    "evaluations": lambda e, today: TodoRow(
        reverse("evaluation:evaluation-detail", args=[e.pk]),
        f"{e.project.park.name} · {e.assessment_year}",
        _evaluation(e),
        (("evaluation", e.pk), ("needs", e.needs)),
    ),
    "national": lambda p, today: TodoRow(
        reverse("evaluation:national-recommend", args=[p.pk]),
        p.park.name,
        f"{p.park.zone.city.name} · " + gettext("Meets the national scheme"),
        (("project", p.pk),),
    ),
    "city_reports": lambda r, today: _city_report(
        r,
        lead_badge=(r.get_status_display(), "warning") if r.status == "returned" else None,
        badge=_overdue(r.due_on < today),
    ),
    "late_cities": lambda r, today: _city_report(r, badge=(gettext("late"), "danger")),
}


@register.simple_tag(takes_context=True)
def todo_rows(context: template.Context, objects: Iterable[Any], kind: str) -> list[TodoRow]:
    """`{% todo_rows todo.submitted "submitted" as rows %}`: the rows of one to-do group (the context's today
    tells what is overdue)."""
    row, today = ROWS[kind], context.get("today") or timezone.localdate()
    return [row(obj, today) for obj in objects]
