"""Draw every state machine from its table into docs/workflows.md (Mermaid), so the docs cannot drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from zcpark.core.machines import MACHINES, Machine, Transition
from zcpark.core.models import STATE_LABELS

HEADER = """# The workflows

Generated from the transition tables by `python manage.py workflow_diagrams`; do not edit by hand
(`tests/test_machines.py` fails when this file and the tables differ). Every move goes through
`zcpark.core.machines.transition_apply`: it locks the row, checks role and scope (403), the state and the
checks (400), stamps, writes, saves, records the audit event and notifies. "system" moves are made by a
task or by another move, never by a person directly.
"""


def _first_line(function: Any) -> str:
    doc = (function.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else function.__name__.strip("_").replace("_", " ")


def _recipients(notify: Any) -> str:
    """Whom a move notifies: the roles a ``recipients_of`` function carries, else its docstring."""
    roles = getattr(notify, "roles", None)
    if roles is None:
        return _first_line(notify)
    return ", ".join(str(STATE_LABELS.get(role, role)) for role in roles)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _state_label(machine: Machine, value: str) -> str:
    labels = dict(machine.states())
    with translation.override("zh-hans"):
        zh = str(labels[value])
    with translation.override("en"):
        en = str(labels[value])
    return f"{zh} · {en}"


def _who(transition: Transition) -> str:
    with translation.override("en"):
        return ", ".join(str(STATE_LABELS.get(role, role)) for role in transition.roles) or "system"


def _diagram(machine: Machine) -> list[str]:
    lines = ["```mermaid", "stateDiagram-v2"]
    for value, _label in machine.states():
        lines.append(f'    state "{_state_label(machine, value)}" as {value}')
    default = machine.model._meta.get_field(machine.field).default
    lines.append(f"    [*] --> {default}")
    for transition in machine.transitions:
        for source in transition.sources:
            lines.append(f"    {source} --> {transition.target}: {transition.verb} ({_who(transition)})")
    ends = [v for v, _label in machine.states() if not any(v in t.sources for t in machine.transitions)]
    lines += [f"    {end} --> [*]" for end in ends]
    lines.append("```")
    return lines


def _table(machine: Machine) -> list[str]:
    rows = [
        "| move | from → to | who | checks | stamps | writes | notifies | audit event |",
        "|---|---|---|---|---|---|---|---|",
    ]
    with translation.override("en"):
        for t in machine.transitions:
            checks = [_first_line(c) for c in t.checks]
            if t.comment_required:
                checks.insert(0, f"a comment: “{t.comment_required}”")
            writes = [_first_line(w) for w in (*t.writes, *t.after)]
            cells = [
                f"`{t.verb}` {t.label}",
                f"{', '.join(t.sources)} → {t.target}",
                _who(t),
                "; ".join(checks) or "—",
                ", ".join(t.stamps) or "—",
                "; ".join(writes) or "—",
                _recipients(t.notify) if t.notify else "—",
                f"`{machine.audit_action(t)}`",
            ]
            rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return rows


def render() -> str:
    parts = [HEADER]
    for name in sorted(MACHINES):
        machine = MACHINES[name]
        parts.append(f"## {machine.description or name}\n")
        parts.append(f"`{machine.model._meta.label}.{machine.field}` · machine `{name}`\n")
        parts.append("\n".join(_diagram(machine)) + "\n")
        parts.append("\n".join(_table(machine)) + "\n")
    return "\n".join(parts)


class Command(BaseCommand):
    help = "Write docs/workflows.md from the state machines' tables (--check: fail if it is out of date)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="exit non-zero if the file is out of date")
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "workflows.md"))

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        text = render()
        if options["check"]:
            if not output.exists() or output.read_text(encoding="utf-8") != text:
                raise CommandError(f"{output} is out of date: run python manage.py workflow_diagrams")
            self.stdout.write(f"{output} is up to date ({len(MACHINES)} machines).")
            return
        output.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {output} ({len(MACHINES)} machines).")
