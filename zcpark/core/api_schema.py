"""The API's OpenAPI schema class (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]).

A module of its own: drf-spectacular's AutoSchema module loads DRF's views, whose settings load
``zcpark.core.api`` (the parsers), so ``zcpark.core.api`` cannot import it back.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema

from .api import LIST_ERRORS


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's schema, with ``LIST_ERRORS`` on every paginated list.

    Every list answers 400 for a bad filter or page size and 404 for a page past the end, so they
    are documented here, once, rather than on each view; a view naming its own 400 or 404 (a list
    under an object that may be missing) keeps it.
    """

    # drf-spectacular's own hook for responses, get_response_serializers, is replaced by every
    # @extend_schema(responses=...), so the errors are added where the responses are built.
    def _get_response_bodies(self, direction: Any = "response") -> Any:
        bodies = super()._get_response_bodies(direction)
        if self.method == "GET" and self._get_paginator() is not None and self._is_list_view():
            for code, response in LIST_ERRORS.items():
                if str(code) not in bodies:
                    bodies[str(code)] = self._get_response_for_code(response, str(code), direction=direction)
            bodies = dict(sorted(bodies.items()))
        return bodies
