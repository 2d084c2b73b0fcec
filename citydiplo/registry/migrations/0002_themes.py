from django.db import migrations


def install(apps, schema_editor):
    from citydiplo.registry.themes import themes_install

    themes_install(apps.get_model("registry", "Theme"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
