"""What the applications app announces to the apps built on it (which it does not import).

Receivers run inside the sender's transaction: a receiver's error rolls the whole change back.
"""

from __future__ import annotations

from django.dispatch import Signal

# A construction list was published: ``by`` (User), ``construction_list``. The evaluation app opens
# each park's construction project (workflow.md).
list_published = Signal()
