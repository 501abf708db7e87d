"""Form helpers: Bootstrap classes on every widget, and mapping service errors onto fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ThreadVisibility
from .threads import TEXT_MAX_CHARS


class BootstrapFormMixin:
    """Give each widget the Bootstrap class its kind needs, and mark invalid fields."""

    template_name = "components/form.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                widget = self.fields[name].widget  # type: ignore[attr-defined]
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form: to its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ThreadMessageForm(BootstrapFormMixin, forms.Form):
    """A message in a clarification thread; a reviewer chooses who reads it, the park always shares it."""

    visibility = forms.ChoiceField(
        label=gettext_lazy("Who reads it"), choices=ThreadVisibility.choices, required=False
    )
    text = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def field_messages(self) -> list[str]:
        """Every error, named by its field's label (the panel's page shows them after the redirect)."""
        lines: list[str] = []
        for name, errors in self.errors.items():
            field = self.fields.get(name)
            for error in errors:
                lines.append(
                    _("%(field)s: %(error)s") % {"field": field.label, "error": error} if field else error
                )
        return lines
