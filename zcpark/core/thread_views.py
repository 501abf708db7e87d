"""The pages' side of clarification threads: the post a thread panel's form sends (each app routes it to
its object, found in the user's scope first) and the API's list and post, shared by every app."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from .api import READ_ERRORS, WRITE_ERRORS
from .forms import ThreadMessageForm, add_service_errors
from .models import ThreadMessage, ThreadSide, ThreadVisibility
from .threads import TEXT_MAX_CHARS, thread_message_post, thread_messages, thread_side


def thread_post_response(
    request: HttpRequest, *, target: models.Model, anchor: str, back: str
) -> HttpResponse:
    """Post the panel's message and go back to the page's thread; what is wrong is said on the page."""
    side = thread_side(request.user, target)
    if side not in (ThreadSide.PARK, ThreadSide.REVIEWERS):
        raise PermissionDenied  # an observer reads only, whatever it sends
    form = ThreadMessageForm(request.POST)
    if form.is_valid():
        # The park's message is always shared; a reviewer's form says which.
        chosen = form.cleaned_data["visibility"] or ThreadVisibility.SHARED
        try:
            thread_message_post(
                by=request.user,
                target=target,
                anchor=anchor,
                visibility=ThreadVisibility.SHARED if side == ThreadSide.PARK else chosen,
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your message was posted and the other side notified."))
    for line in form.field_messages():
        messages.error(request, line)
    return redirect(f"{back}#threads")


class ThreadMessageOutputSerializer(serializers.ModelSerializer):
    """One message of a clarification thread (never changed once posted)."""

    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    author_name = serializers.SerializerMethodField()
    role_label = serializers.CharField()

    class Meta:
        model = ThreadMessage
        fields = [
            "id",
            "created_at",
            "anchor",
            "visibility",
            "author",
            "author_name",
            "author_role",
            "role_label",
            "author_side",
            "text",
        ]
        read_only_fields = fields

    def get_author_name(self, obj: ThreadMessage) -> str:
        author = obj.author
        return (author.get_full_name() or author.username) if author else ""


class ThreadMessageInputSerializer(serializers.Serializer):
    visibility = serializers.ChoiceField(
        choices=ThreadVisibility.choices,
        default=ThreadVisibility.SHARED,
        help_text="shared (the park reads it; the park's own are always shared) or internal (reviewers only).",
    )
    text = serializers.CharField(max_length=TEXT_MAX_CHARS)


class ThreadMessagesApiBase(generics.ListAPIView):
    """A clarification thread's messages (oldest first; the park reads the shared ones) and posting one.
    Subclasses find the object in the caller's scope (404 outside it) and the anchor."""

    queryset = ThreadMessage.objects.none()
    serializer_class = ThreadMessageOutputSerializer

    def thread_target(self) -> tuple[models.Model, str]:
        raise NotImplementedError

    def get_queryset(self) -> Any:
        target, anchor = self.thread_target()
        return thread_messages(user=self.request.user, target=target, anchor=anchor)

    @extend_schema(
        request=ThreadMessageInputSerializer,
        responses={201: ThreadMessageOutputSerializer, **WRITE_ERRORS},
        description=(
            "Post a message: the park in the shared thread, a reviewer (city, province) in either; the "
            "object's state does not change, the other side is notified. 403: an observer, or the park "
            "asking for internal; 404: outside the caller's scope."
        ),
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        target, anchor = self.thread_target()
        serializer = ThreadMessageInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = thread_message_post(
            by=request.user, target=target, anchor=anchor, **serializer.validated_data
        )
        return Response(ThreadMessageOutputSerializer(message).data, status=status.HTTP_201_CREATED)


THREAD_READ_SCHEMA = extend_schema(responses={200: ThreadMessageOutputSerializer(many=True), **READ_ERRORS})
