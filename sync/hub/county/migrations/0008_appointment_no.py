# An appointment's number (预约号) as the kiosk printed it on the villager's 预约单 (issue 18).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("county", "0007_staff_scopes"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="appointment_no",
            field=models.CharField(blank=True, db_index=True, max_length=32, verbose_name="预约号"),
        ),
    ]
