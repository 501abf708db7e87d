"""The carbon accounting and indicator engine (accounting.md): pure Python, Decimal, no Django.

factor_set = FactorSet.from_document(doc)        # fixtures/factor_sets/*.json or the database
scheme = Scheme.from_document(doc)               # fixtures/schemes/*.json or the database
evaluation = evaluate(dataset, factor_set=factor_set, scheme=scheme)
evaluation.ok -> bool; evaluation.document() -> the result document or {"errors": [...]}
"""

from __future__ import annotations

from .dataset import upgrade
from .errors import InputError
from .evaluate import ENGINE_VERSION, Evaluation, evaluate
from .factors import Carrier, FactorSet, GridFactor, Scheme, method_defaults
from .jsonio import dumps, loads

__all__ = [
    "ENGINE_VERSION",
    "Carrier",
    "Evaluation",
    "FactorSet",
    "GridFactor",
    "InputError",
    "Scheme",
    "dumps",
    "evaluate",
    "loads",
    "method_defaults",
    "upgrade",
]
