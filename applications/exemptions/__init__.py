"""Guiding-indicator exemptions (issue 14): declared in the dossier's targets section with their evidence,
given an opinion by the city and decided by the province. Only accepted ones count in the park's results
(``indicators.exemptions``)."""
