"""Dossier tables from Excel: the key projects, yearly targets, cash flows and key enterprises as a
template to download (prefilled with the dossier's rows) and a workbook to upload, read with cell-level
errors and imported through the preview → commit → undo framework (``zcpark.core.imports``).

    specs.py      which table of which section each import kind is, its natural key, headers and labels
    template.py   the workbook written for download (data sheet, instructions, hidden option lists)
    reader.py     an uploaded workbook read into the table's rows, or every error by sheet and cell
    importers.py  the importers (snapshot, apply, diff, may, sees) registered with the framework
"""
