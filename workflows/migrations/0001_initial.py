from django.db import migrations

from workflows.operations import CREATE_FUNCTION, DROP_FUNCTION


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunSQL(CREATE_FUNCTION, DROP_FUNCTION)]
