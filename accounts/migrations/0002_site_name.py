from django.conf import settings
from django.db import migrations

# allauth's e-mails name the site and its domain; without this they say "example.com".
NAME = "Notre Continent"
DOMAIN = "www.notrecontinent.com"


def name_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"name": NAME, "domain": DOMAIN})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(name_site, migrations.RunPython.noop)]
