"""Applications API views by concept: ``applications`` (dossiers and the workflow), ``calls``, ``lists``.

Each view loads its object through a selector (404 outside the caller's scope), validates an explicit
input serializer, calls one service (which answers 403 for the wrong role, 400 for a broken rule) and
serializes the result. Errors are ``{"detail", "errors"}`` (``zcpark.core.api.exception_handler``).
"""
