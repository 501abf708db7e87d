"""Results stored before exemptions were reviewed counted every reason a dataset gave to exempt an
indicator; now only the province's accepted exemptions count. Queue a recompute of each dataset that gives
such reasons, as the services do: an outbox row, sent by the relay (beat, every minute) once a worker and
the broker run, so migrating needs neither."""

from django.db import migrations

TASK = "indicators.results_compute"
REASON = "exemptions counted only when accepted"


def _asks_exemptions(document):
    """The dataset has a non-empty ``exemptions`` block."""
    return isinstance(document, dict) and bool(document.get("exemptions"))


def queue_recompute(apps, schema_editor):
    ParkDataset = apps.get_model("indicators", "ParkDataset")
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    queued = [
        OutboxMessage(task=TASK, args=[pk, REASON])
        for pk, document in ParkDataset.objects.order_by("pk").values_list("pk", "document").iterator()
        if _asks_exemptions(document)
    ]
    OutboxMessage.objects.bulk_create(queued, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0006_exemption_closed_with_dossier"),
        ("indicators", "0003_v2_original_document_and_not_recomputable"),
        ("core", "0006_thread_messages"),
    ]

    operations = [migrations.RunPython(queue_recompute, migrations.RunPython.noop)]
