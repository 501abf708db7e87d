"""JSON read exactly: every non-integer number becomes a Decimal, never a float."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from .text import UNSTORABLE_MESSAGE, unstorable_path


class InvalidJSON(ValueError):
    """The text is not JSON; ``document`` is the errors document to answer with."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.document = {"errors": [{"path": "", "code": "invalid", "message": f"不是有效的 JSON：{detail}"}]}


def parse_decimal_json(data: bytes | str) -> Any:
    """JSON text → Python values with Decimal numbers; a syntax error, or text the database cannot hold
    (``text.unstorable_path``), raises InvalidJSON naming where."""
    try:
        document = json.loads(data, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidJSON(str(exc)) from exc
    except RecursionError as exc:
        raise InvalidJSON("nested too deeply") from exc
    path = unstorable_path(document)
    if path is not None:
        raise InvalidJSON(f"{path} {UNSTORABLE_MESSAGE}")
    return document
