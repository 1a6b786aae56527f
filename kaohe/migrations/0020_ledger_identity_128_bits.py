"""Imported ledger rows are told apart by the first 128 bits of their SHA-256 instead of the whole digest.

Forward, every stored identity keeps its first 32 hex digits, which is what a new import computes. Backward
(to run the code from before), each is computed whole again from its row, so that version recognises the
rows it imported.
"""

import hashlib

from django.db import migrations, models
from django.db.models.functions import Substr


def shortened(apps, schema_editor):
    apps.get_model("kaohe", "LedgerEntry").objects.filter(identity__isnull=False).update(
        identity=Substr("identity", 1, 32))


def lengthened(apps, schema_editor):
    def number(value):
        return "-" if value is None else format(value.normalize(), "f")

    entries = apps.get_model("kaohe", "LedgerEntry")
    batch = []
    for entry in entries.objects.filter(identity__isnull=False).only(
            "id", "unit_id", "rule_id", "date", "quantity", "points", "note").iterator(chunk_size=2000):
        text = "\x1f".join([str(entry.unit_id), str(entry.rule_id), entry.date.isoformat(), number(entry.quantity),
                            number(entry.points), entry.note.strip()])
        entry.identity = hashlib.sha256(text.encode("utf-8")).hexdigest()
        batch.append(entry)
        if len(batch) == 2000:
            entries.objects.bulk_update(batch, ["identity"])
            batch = []
    entries.objects.bulk_update(batch, ["identity"])


class Migration(migrations.Migration):

    dependencies = [
        ('kaohe', '0019_rule_total_keyed_by_month'),
    ]

    operations = [
        migrations.AlterField(
            model_name='ledgerentry',
            name='identity',
            field=models.CharField(blank=True, editable=False, help_text='Imported rows: the first 128 bits of the SHA-256 of unit, rule, date, quantity, points and note, unique per scheme, so a row is imported once whatever file or order it comes in.', max_length=64, null=True, verbose_name='row identity'),
        ),
        migrations.RunPython(shortened, lengthened),
    ]
