"""The base model every model inherits, the audit trail every state change writes to, notifications and
the lifecycle of a file a task generates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop, pgettext
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Timestamps for every row."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


# Human labels for audit actions; each app registers its own in AppConfig.ready().
ACTION_LABELS: dict[str, Any] = {}

# How many items one group of a home page's to-do lists (each group links to its full list or says how many).
TODO_LIMIT = 10


# Human labels for the states and choice values events record (a park's scope, a user's role, …).
STATE_LABELS: dict[str, Any] = {}


def register_action_labels(labels: dict[str, Any]) -> None:
    ACTION_LABELS.update(labels)


def register_state_labels(labels: dict[str, Any]) -> None:
    STATE_LABELS.update(labels)


# How the events of an action read when they keep codes rather than words in one language (a section's code
# as the comment, a field's key in the changes): registered by the app that records them, read in the
# reader's language. A reader answers None for what it does not know (an event stored before), shown as kept.
COMMENT_READERS: dict[str, Callable[[str], str | None]] = {}
CHANGE_READERS: dict[str, Callable[[str, Any, Any], tuple[str, str, str] | None]] = {}
# What an event links to (a file it issued): (url, link text), or None when there is nothing to follow.
LINK_READERS: dict[str, Callable[[str], tuple[str, str] | None]] = {}


def register_event_readers(
    action: str,
    *,
    comment: Callable[[str], str | None] | None = None,
    change: Callable[[str, Any, Any], tuple[str, str, str] | None] | None = None,
    link: Callable[[str], tuple[str, str] | None] | None = None,
) -> None:
    if comment is not None:
        COMMENT_READERS[action] = comment
    if link is not None:
        LINK_READERS[action] = link
    if change is not None:
        CHANGE_READERS[action] = change


def _label(value: Any) -> Any:
    return str(STATE_LABELS[value]) if isinstance(value, str) and value in STATE_LABELS else value


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        return self.filter(
            target_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            target_id=str(obj.pk),
        ).select_related("actor", "target_type")


class AuditEvent(models.Model):
    """Who did what to which object, when, from which state to which, and why.

    Append-only: services write one row per change in the same transaction as the change.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(_("object"), max_length=255)
    action = models.CharField(_("action"), max_length=64)
    from_state = models.CharField(_("from"), max_length=64, blank=True)
    to_state = models.CharField(_("to"), max_length=64, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.target_repr}: {self.action}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def from_label(self) -> str:
        return _label(self.from_state)

    @property
    def to_label(self) -> str:
        return _label(self.to_state)

    @property
    def comment_text(self) -> str:
        """The comment as the reader reads it (a code kept by the event in their language)."""
        reader = COMMENT_READERS.get(self.action)
        return (reader(self.comment) if reader else None) or self.comment

    @property
    def link(self) -> tuple[str, str] | None:
        """(url, text) of what the event links to (an issued document's PDF), read from its comment."""
        reader = LINK_READERS.get(self.action)
        return reader(self.comment) if reader else None

    @property
    def changes_list(self) -> list[tuple[str, Any, Any]]:
        """(field label, old, new) for each changed field, labelled by the model's verbose names (or by the
        reader the action registered, in the reader's language)."""
        model = self.target_type.model_class()
        reader = CHANGE_READERS.get(self.action)
        rows = []
        for name, (old, new) in self.changes.items():
            read = reader(name, old, new) if reader else None
            if read is not None:
                rows.append(read)
                continue
            try:
                label = str(model._meta.get_field(name).verbose_name) if model else name
            except FieldDoesNotExist:
                label = name
            rows.append((label, _label(old), _label(new)))
        return rows


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notice:
    """A notification's text as its English msgid and parameters, rendered in the reader's language when the
    page shows it (not in the sender's when it is sent). A parameter is kept as it is (a park's name, a
    year), or is itself a ``Notice`` or a lazy translation (a transition's label), rendered in turn.

    ``Notice(gettext_noop("%(park)s: %(event)s"), park=park.name, event=gettext_lazy("Construction started"))``
    """

    def __init__(self, msgid: str | Promise, /, **params: Any) -> None:
        lazy = _lazy_message(msgid) if isinstance(msgid, Promise) else None
        self.msgid, self.context = (lazy.msgid, lazy.context) if lazy else (str(msgid), "")
        self.params = {name: _stored(value) for name, value in params.items()}

    @classmethod
    def of(cls, text: Any) -> Notice | None:
        """``text`` as a notice when its msgid can be kept (a ``Notice``, a lazy translation); a plain string
        (already in one language) as None."""
        if isinstance(text, Notice):
            return text
        return _lazy_message(text) if isinstance(text, Promise) else None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"msgid": self.msgid, "params": self.params}
        if self.context:
            data["context"] = self.context
        return data

    def render(self, language: str | None = None) -> str:
        if language is None:
            return render_notice(self.as_json())
        with translation.override(language):
            return render_notice(self.as_json())

    def __str__(self) -> str:
        return self.render()


def _lazy_message(promise: Promise) -> Notice | None:
    """The msgid of ``gettext_lazy("…")`` or ``pgettext_lazy("ctx", "…")``, read through the lazy object's
    pickling (the function and its arguments); None for any other lazy text (``format_lazy``)."""
    func, args, kwargs = promise.__reduce__()[1][:3]  # type: ignore[index]
    if kwargs or not all(isinstance(arg, str) for arg in args):
        return None
    if func is gettext and len(args) == 1:
        return Notice(args[0])
    if func is pgettext and len(args) == 2:
        notice = Notice(args[1])
        notice.context = args[0]
        return notice
    return None


def _stored(value: Any) -> Any:
    """A parameter as JSON: a message as its msgid and parameters, a number as itself, anything else as text."""
    notice = Notice.of(value)
    if notice is not None:
        return notice.as_json()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def render_notice(data: dict[str, Any]) -> str:
    """A stored notice in the active language (a msgid the catalogue lacks stays English)."""
    context = data.get("context", "")
    template = pgettext(context, data["msgid"]) if context else gettext(data["msgid"])
    params = {
        name: render_notice(value) if isinstance(value, dict) and "msgid" in value else value
        for name, value in (data.get("params") or {}).items()
    }
    try:
        return template % params if params else template
    except (KeyError, TypeError, ValueError):
        # A translation that lost a placeholder must not break the page: the English text then.
        return data["msgid"] % params if params else data["msgid"]


class Notification(BaseModel):
    """An in-app message to one user that something awaits them (mirrored by e-mail).

    ``title_message`` and ``body_message`` hold the text as a ``Notice`` (msgid and parameters), shown in
    the reader's language; ``title`` and ``body`` hold it in the portal's default language (what the e-mail
    says, what the admin searches), and are what a notice sent as plain text (and every one sent before the
    messages were kept) shows.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    title_message = models.JSONField(_("title (message and parameters)"), default=dict, blank=True)
    body_message = models.JSONField(_("message (message and parameters)"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=255, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title

    @property
    def title_text(self) -> str:
        """The title in the active language."""
        return render_notice(self.title_message) if self.title_message else self.title

    @property
    def body_text(self) -> str:
        """The message in the active language."""
        return render_notice(self.body_message) if self.body_message else self.body


class FileStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


# Why a job ended without its file, stored in ``error`` as these English texts and translated for the page
# in the reader's language; any other error is an exception's text (it names servers and paths), for the
# log and the admin only.
STALE_ERROR = gettext_noop("The job did not finish: the worker stopped or its message was lost.")
TIMEOUT_ERROR = gettext_noop("Preparing it took too long and was stopped.")
KNOWN_ERRORS = (STALE_ERROR, TIMEOUT_ERROR)


def generated_upload_to(instance: GeneratedFile, filename: str) -> str:
    return instance.upload_path(filename)


class GeneratedFile(BaseModel):
    """A file a task generates (a dossier export, an acceptance report): requested pending, then ready with
    its file or failed with the error. ``generated_file_build`` is the one way it moves."""

    status = models.CharField(
        _("status"), max_length=8, choices=FileStatus.choices, default=FileStatus.PENDING
    )
    file = models.FileField(_("file"), upload_to=generated_upload_to, max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True

    def upload_path(self, filename: str) -> str:
        raise NotImplementedError

    @property
    def failure_reason(self) -> str:
        """Why a failed file failed, in the reader's language, when the job said why (lost, too long);
        otherwise nothing: the page says it could not be prepared."""
        if self.status == FileStatus.FAILED and self.error in KNOWN_ERRORS:
            return gettext(self.error)
        return ""


class OutboxMessage(models.Model):
    """A task a change needs, written in the change's own transaction (a transactional outbox): queued
    after commit, or by the relay (every minute) while the broker could not be reached, so no committed
    change loses its job. At least once: every task is idempotent."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    task = models.CharField(_("task"), max_length=128)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["sent_at", "id"])]
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"


# ---- clarification threads --------------------------------------------------------------------------


class ThreadVisibility(models.TextChoices):
    INTERNAL = "internal", _("Internal to the reviewers")
    SHARED = "shared", _("Shared with the park")


class ThreadSide(models.TextChoices):
    PARK = "park", _("Park")
    REVIEWERS = "reviewers", _("Reviewers")


class ThreadMessage(models.Model):
    """One message of a clarification thread: a question or an answer about an object (a dossier section,
    an annual report, an order) that moves nothing. A thread is the messages of one object, anchor (a
    dossier section's code, or empty) and visibility. Posted once, never edited nor deleted."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    anchor = models.CharField(_("part"), max_length=32, blank=True)
    visibility = models.CharField(_("visibility"), max_length=16, choices=ThreadVisibility.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="thread_messages",
    )
    author_role = models.CharField(_("role"), max_length=32)
    author_side = models.CharField(_("side"), max_length=16, choices=ThreadSide.choices)
    text = models.TextField(_("message"))

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id", "anchor", "visibility"])]
        verbose_name = _("thread message")
        verbose_name_plural = _("thread messages")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=ThreadVisibility.values), name="thread_visibility_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(author_side__in=ThreadSide.values), name="thread_side_valid"
            ),
            # The park writes only in the threads it reads.
            models.CheckConstraint(
                condition=~models.Q(author_side="park", visibility="internal"), name="thread_park_shared"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.author_role}: {self.text[:40]}"

    @property
    def role_label(self) -> str:
        return _label(self.author_role)


# The import framework's record lives beside (its own module keeps this one short).
from .models_imports import ImportBatch, ImportStatus  # noqa: E402, F401
