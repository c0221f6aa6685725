"""Create the single HubState row with a fresh epoch."""

from __future__ import annotations

import secrets

from django.db import migrations


def create_state(apps, schema_editor):
    HubState = apps.get_model("county", "HubState")
    HubState.objects.get_or_create(pk=1, defaults={"epoch": secrets.token_hex(6), "seq": 0})


class Migration(migrations.Migration):
    dependencies = [("county", "0001_initial")]

    operations = [migrations.RunPython(create_state, migrations.RunPython.noop)]
