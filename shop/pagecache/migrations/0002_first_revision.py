import time

from django.db import migrations


def first_revision(apps, schema_editor):
    # From the clock, as the triggers start it: never below a number a
    # running process may hold pages under (shop/pagecache/revision.py).
    Revision = apps.get_model("pagecache", "Revision")
    Revision.objects.get_or_create(pk=1, defaults={"number": int(time.time() * 1000)})


class Migration(migrations.Migration):
    dependencies = [("pagecache", "0001_initial")]

    operations = [migrations.RunPython(first_revision, migrations.RunPython.noop)]
