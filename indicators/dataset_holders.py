"""Who holds a park-year's dataset: a decided record (a submitted dossier, a submitted annual report or
self-assessment) that was judged on the year's data keeps it as it was.

The indicators app knows no such record (they live in higher apps): each app registers, in its ready(), a
holder ``fn(park, year) -> message | None`` that names its record holding the park-year, or None.
``park_dataset_save`` and ``park_dataset_delete`` — every way a year's data changes: the API's push, an
import saved or undone, a monthly assembly saved — refuse while any holder answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zcpark.core.exceptions import ApplicationError

# (park, year) -> why the year cannot change (the record holding it), or None when no such record holds it.
DatasetHolder = Callable[[Any, int], Any]

DATASET_HOLDERS: list[DatasetHolder] = []


def register_dataset_holder(holder: DatasetHolder) -> None:
    """``holder`` says whether a record of its app holds a park-year (once each, in the app's ready())."""
    if holder not in DATASET_HOLDERS:
        DATASET_HOLDERS.append(holder)


def dataset_held_by(park: Any, year: int) -> str | None:
    """Why the park's ``year`` cannot change (the first holder's message), or None when it may."""
    for holder in DATASET_HOLDERS:
        message = holder(park, year)
        if message:
            return str(message)
    return None


def dataset_check_unheld(park: Any, year: int) -> None:
    """Raise ApplicationError (the holding record's message) when a decided record holds the park-year."""
    message = dataset_held_by(park, year)
    if message is not None:
        raise ApplicationError(message, errors={"__all__": [message]})
