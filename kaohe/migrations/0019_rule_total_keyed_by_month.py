"""The stored totals keyed by (scheme, month, unit, rule) instead of an id and three more indexes.

The totals are derived, so the table is made anew rather than altered, and the state that said they were
current goes with them: the next ledger write, or ``score --recompute``, builds them again from the ledger.
"""

import django.db.models.deletion
from django.db import migrations, models


def clustered_on_sqlite(apps, schema_editor):
    """On SQLite a table keyed by its primary key alone must say WITHOUT ROWID (InnoDB always does this)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    table = apps.get_model("kaohe", "RuleTotal")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
        (create,) = cursor.fetchone()
        cursor.execute(f'DROP TABLE "{table}"')
        cursor.execute(f"{create} WITHOUT ROWID")


def forget_derived_state(apps, schema_editor):
    for name in ("ScoreState", "Standing"):
        apps.get_model("kaohe", name).objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('kaohe', '0018_project_evaluation'),
    ]

    operations = [
        migrations.DeleteModel(name='RuleTotal'),
        migrations.CreateModel(
            name='RuleTotal',
            fields=[
                ('pk', models.CompositePrimaryKey('scheme', 'month', 'unit', 'rule', blank=True, editable=False, primary_key=True, serialize=False)),
                ('scheme', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='kaohe.scheme', verbose_name='scheme')),
                ('month', models.PositiveSmallIntegerField(verbose_name='through month')),
                ('unit', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='kaohe.unit', verbose_name='unit')),
                ('rule', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='kaohe.rule', verbose_name='rule')),
                ('count', models.IntegerField(verbose_name='rows')),
                ('quantity', models.BigIntegerField(verbose_name='quantity (ten-thousandths)')),
                ('points', models.BigIntegerField(verbose_name='points (ten-thousandths)')),
            ],
            options={
                'verbose_name': 'rule total',
                'verbose_name_plural': 'rule totals',
            },
        ),
        migrations.RunPython(clustered_on_sqlite, migrations.RunPython.noop),
        migrations.RunPython(forget_derived_state, migrations.RunPython.noop),
    ]
