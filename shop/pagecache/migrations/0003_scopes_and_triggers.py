from django.db import migrations, models


def install_triggers(apps, schema_editor):
    # The triggers are SQL, not models: they come from the current code, which
    # finds its tables by the watched apps' models (shop/pagecache/revision.py).
    from shop.pagecache import revision

    revision.install_triggers(schema_editor.connection.alias)


class Migration(migrations.Migration):
    """One number per scope (a table, a product family, a variant's stock), and the
    triggers created here rather than after every migrate: a fresh database, a
    test database and `migrate` alone all have them. A later migration that adds
    a table to a watched app needs one like this (`manage.py check` says so)."""

    dependencies = [
        ("pagecache", "0002_first_revision"),
        ("catalogue", "0033_ingredient"),
        ("partner", "0007_partneraddress_code"),
        ("blog", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [
        migrations.DeleteModel(name="Revision"),
        migrations.CreateModel(
            name="Revision",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("scope", models.CharField(max_length=100, unique=True)),
                ("number", models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(install_triggers, migrations.RunPython.noop),
    ]
