# Department.code (the department's code on the provincial platform) and
# Evaluation.indicators (the optional indicator scores kiosks send), for the 好差评 exchange
# (sync.hub.exchange, docs/haochaping.md).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("county", "0009_followups"),
    ]

    operations = [
        migrations.AddField(
            model_name="department",
            name="code",
            field=models.CharField(
                blank=True,
                help_text="统一社会信用代码（18位），或省平台给的部门编码；上报好差评时使用",
                max_length=32,
                verbose_name="部门编码",
            ),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="indicators",
            field=models.JSONField(blank=True, default=dict, verbose_name="评价指标"),
        ),
    ]
