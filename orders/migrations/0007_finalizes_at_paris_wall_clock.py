"""The stored closing of open sales, recomputed with the one rule (orders.models.sale_closes_at).

Orders created before it had ``purchased_at + 6 weeks`` in UTC, an hour off Paris wall-clock time when a clock change
fell inside the six weeks, while the claim eligibility read another instant.
"""
from django.conf import settings
from django.db import migrations

OPEN = ("placed", "shipped", "delivered")


def recompute(apps, schema_editor):
    from orders.models import sale_closes_at

    Order = apps.get_model("orders", "Order")
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "UPDATE orders_order SET finalizes_at = "
                "((purchased_at AT TIME ZONE %s) + make_interval(weeks => %s)) AT TIME ZONE %s "
                "WHERE status = ANY(%s)",
                [settings.TIME_ZONE, settings.SALE_CLOSES_AFTER_WEEKS, settings.TIME_ZONE, list(OPEN)],
            )
        return
    batch = []
    for order in Order.objects.filter(status__in=OPEN).only("pk", "purchased_at", "finalizes_at").iterator(2000):
        closes = sale_closes_at(order.purchased_at)
        if closes != order.finalizes_at:
            order.finalizes_at = closes
            batch.append(order)
        if len(batch) >= 2000:
            Order.objects.bulk_update(batch, ["finalizes_at"])
            batch = []
    Order.objects.bulk_update(batch, ["finalizes_at"])


class Migration(migrations.Migration):
    dependencies = [("orders", "0006_merge_20261201_1208")]
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
