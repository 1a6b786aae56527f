"""The stored totals keyed by (scheme, month, unit, rule) instead of an id and three more indexes.

The table is made anew rather than altered, and every scheme whose totals were kept has them summed again
from its ledger, as ``score --recompute`` does: the stored standings, the months they are kept for and the
state that says they are current stay as they were.
"""

import calendar
import datetime

import django.db.models.deletion
from django.db import migrations, models

SCALE = 10_000  # sums are kept in whole ten-thousandths


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


def summed_again(apps, schema_editor):
    connection = schema_editor.connection
    table = apps.get_model("kaohe", "RuleTotal")._meta.db_table
    ledger = apps.get_model("kaohe", "LedgerEntry")._meta.db_table
    for scheme_id, year in apps.get_model("kaohe", "ScoreState").objects.values_list("scheme_id", "scheme__year"):
        for month in range(1, 13):
            end = datetime.date(year, month, calendar.monthrange(year, month)[1])
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} (scheme_id, month, unit_id, rule_id, count, quantity, points) "
                    f"SELECT scheme_id, %s, unit_id, rule_id, COUNT(*), SUM(ROUND(quantity * {SCALE})), "
                    f"COALESCE(SUM(ROUND(points * {SCALE})), 0) FROM {ledger} WHERE scheme_id = %s AND date <= %s "
                    "GROUP BY scheme_id, unit_id, rule_id",
                    [month, scheme_id, connection.ops.adapt_datefield_value(end)])


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
        migrations.RunPython(summed_again, migrations.RunPython.noop),
    ]
