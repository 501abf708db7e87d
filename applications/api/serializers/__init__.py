"""Applications API: explicit input serializers (plain ``Serializer``) and output serializers.

Outputs read what the views loaded through selectors; dossier parts that need more than the row
(progress, problems, actions, attachments) come in the serializer context, computed by the view.
Decimals leave as strings (COERCE_DECIMAL_TO_STRING) and datetimes as ISO 8601 with the offset.
Split by concept; everything is re-exported here.
"""

from __future__ import annotations

from .applications import (
    ApplicationCreateInputSerializer,
    ApplicationListOutputSerializer,
    TransitionInputSerializer,
)
from .calls import CallCreateInputSerializer, CallOutputSerializer, CallTransitionInputSerializer
from .dossiers import (
    ApplicationDossierOutputSerializer,
    AttachmentInputSerializer,
    AttachmentOutputSerializer,
    DatasetOutputSerializer,
    DatasetStateOutputSerializer,
    DossierPatchInputSerializer,
    OpinionOutputSerializer,
    ProgressOutputSerializer,
    SectionOutputSerializer,
    SectionStateOutputSerializer,
)
from .lists import (
    ConstructionListCreateInputSerializer,
    ConstructionListOutputSerializer,
    ConstructionListTransitionInputSerializer,
    ListEntryOutputSerializer,
    PublicListEntryOutputSerializer,
    PublicListOutputSerializer,
)
from .revisions import (
    ChangesInputSerializer,
    ChangesOutputSerializer,
    DiffRowOutputSerializer,
    RevisionDetailOutputSerializer,
    RevisionOutputSerializer,
)

__all__ = [
    "ApplicationCreateInputSerializer",
    "ApplicationDossierOutputSerializer",
    "ApplicationListOutputSerializer",
    "AttachmentInputSerializer",
    "AttachmentOutputSerializer",
    "CallCreateInputSerializer",
    "CallOutputSerializer",
    "CallTransitionInputSerializer",
    "ChangesInputSerializer",
    "ChangesOutputSerializer",
    "ConstructionListCreateInputSerializer",
    "ConstructionListOutputSerializer",
    "ConstructionListTransitionInputSerializer",
    "DatasetOutputSerializer",
    "DatasetStateOutputSerializer",
    "DiffRowOutputSerializer",
    "DossierPatchInputSerializer",
    "ListEntryOutputSerializer",
    "OpinionOutputSerializer",
    "ProgressOutputSerializer",
    "PublicListEntryOutputSerializer",
    "PublicListOutputSerializer",
    "RevisionDetailOutputSerializer",
    "RevisionOutputSerializer",
    "SectionOutputSerializer",
    "SectionStateOutputSerializer",
    "TransitionInputSerializer",
]
