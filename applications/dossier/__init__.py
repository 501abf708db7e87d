"""The dossier's section schemas (``sections``) and the shared validator (``schema``)."""
