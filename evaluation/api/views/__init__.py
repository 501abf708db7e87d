"""Construction and acceptance API views by concept: ``projects`` (with removal, incentives, timeline),
``reports`` (annual reports), ``orders`` (rectification), ``acceptance`` (self-assessment, evidence,
the request for acceptance) and ``evaluations`` (experts, reviews, decision, the acceptance report).

As in ``applications.api``: each view loads its object through a selector (404 outside the caller's
scope), checks the caller's role on a visible object (403), validates an explicit input serializer, calls
one service (400 for a broken rule, with every unmet condition) and serializes the result. Errors are
``{"detail", "errors"}`` (``zcpark.core.api.exception_handler``); numbers are read and written exactly.
"""
