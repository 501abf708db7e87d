"""The construction and acceptance API (mounted under /api/v1/): projects, annual reports, rectification
orders, self-assessments, acceptance evaluations with their expert reviews and decisions, and reports."""
