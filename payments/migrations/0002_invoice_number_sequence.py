"""Invoice numbers come from a PostgreSQL sequence: unique under any concurrency, never reused."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]
    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE payments_invoice_number_seq START WITH 1001",
            "DROP SEQUENCE payments_invoice_number_seq",
        ),
    ]
