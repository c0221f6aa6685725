# The protocol's trust rules (issue 13): enrolment codes bound to their terminal, the hub's
# own receipt times.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("county", "0005_three_levels_one_lifecycle")]

    operations: list[migrations.operations.base.Operation] = [
        migrations.AddField(
            model_name="enrolcode",
            name="for_terminal",
            field=models.CharField(blank=True, max_length=64, verbose_name="限定终端"),
        ),
        migrations.AddField(
            model_name="appointment",
            name="received_at",
            field=models.DateTimeField(
                auto_now_add=True, default=django.utils.timezone.now, verbose_name="接收时间"
            ),
            preserve_default=False,
        ),
    ]
