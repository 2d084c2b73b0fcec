"""The 17 SDG goals with their short names are part of the product: installed here, titles by the load."""

from django.db import migrations


def install(apps, schema_editor):
    from citydiplo.strategy.goals import goals_install

    goals_install(apps.get_model("strategy", "SdgGoal"))


class Migration(migrations.Migration):
    dependencies = [("strategy", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
