# The protocol's trust rules (issue 13): enrolment codes bound to their terminal, the hub's
# own receipt times. Operations are added by the work on the signed protocol.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("county", "0005_three_levels_one_lifecycle")]

    operations: list[migrations.operations.base.Operation] = []
