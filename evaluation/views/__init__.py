"""Pages of the construction period (projects), the acceptance evaluations and the dashboards."""
