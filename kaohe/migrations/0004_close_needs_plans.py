"""The round's close step also waits for improvement plans (不合格 → 改进计划) where a scheme grades."""

from django.db import migrations


def forwards(apps, schema_editor):
    Transition = apps.get_model("kaohe", "Transition")
    Transition.objects.filter(workflow__target="round", action="close", condition="no_open_objection").update(
        condition="ready_to_close")


def backwards(apps, schema_editor):
    Transition = apps.get_model("kaohe", "Transition")
    Transition.objects.filter(workflow__target="round", action="close", condition="ready_to_close").update(
        condition="no_open_objection")


class Migration(migrations.Migration):
    dependencies = [("kaohe", "0003_weighted_schemes")]
    operations = [migrations.RunPython(forwards, backwards)]
