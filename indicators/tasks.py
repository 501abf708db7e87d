"""Celery wrappers of the result computations: ids in, one service call, retry on database hiccups."""

from __future__ import annotations

from celery import shared_task

from zcpark.core.tasks import RETRY_POLICY

from . import selectors, services


@shared_task(name="indicators.results_compute", **RETRY_POLICY)
def indicator_results_compute_task(dataset_id: int, reason: str = "") -> int:
    """Compute one dataset's results; returns how many current results it has (0 if it is gone)."""
    dataset = selectors.park_dataset_get(pk=dataset_id)
    if dataset is None:
        return 0
    return len(services.indicator_results_compute(dataset=dataset, reason=reason))


@shared_task(name="indicators.results_recompute", **RETRY_POLICY)
def indicator_results_recompute_task(reason: str = "") -> dict[str, int | str]:
    """Recompute every dataset's results; returns the summary's counts."""
    summary = services.indicator_results_recompute_all(reason=reason)
    return {
        "datasets": summary.datasets,
        "created": summary.created,
        "unchanged": summary.unchanged,
        "superseded": summary.superseded,
        "factor_set": summary.factor_set,
    }


@shared_task(name="indicators.results_sweep", **RETRY_POLICY)
def indicator_results_sweep_task() -> int:
    """Periodic: compute datasets still lacking a current result; returns how many it computed."""
    return services.indicator_results_sweep().datasets
