from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="sensitive",
            field=models.BooleanField(default=False, verbose_name="sensitive"),
        ),
    ]
