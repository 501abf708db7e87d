"""Writes for calls, dossiers, the review workflow and construction lists (re-exported by concept)."""

from __future__ import annotations

from .calls import call_create, call_transition, call_update, calls_close_expired
from .dossiers import (
    application_create,
    application_dataset_save,
    attachment_add,
    attachment_remove,
    dossier_section_save,
    dossier_sections_save,
)
from .lists import construction_list_create, construction_list_transition, construction_list_update
from .objections import list_park_drop, objection_answer, objection_record
from .workflow import actions_for, application_transition

__all__ = [
    "actions_for",
    "application_create",
    "application_dataset_save",
    "application_transition",
    "attachment_add",
    "attachment_remove",
    "call_create",
    "call_transition",
    "call_update",
    "calls_close_expired",
    "construction_list_create",
    "construction_list_transition",
    "construction_list_update",
    "dossier_section_save",
    "dossier_sections_save",
    "list_park_drop",
    "objection_answer",
    "objection_record",
]
