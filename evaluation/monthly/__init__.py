"""Monthly energy and electricity figures: push and upload, the year assembled from its months, the
year-to-date core indicator and its year-end projection against the year's target (issue 15, point 2)."""
