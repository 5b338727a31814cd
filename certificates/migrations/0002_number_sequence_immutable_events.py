from django.db import migrations

# Certificate numbers come from one database sequence: unique under any concurrency, never reused.
SEQUENCE = "CREATE SEQUENCE IF NOT EXISTS certificates_certificate_number_seq START 1"
DROP_SEQUENCE = "DROP SEQUENCE IF EXISTS certificates_certificate_number_seq"

EVENT_TABLES = ("certificates_certificateevent", "certificates_pduclaimevent", "certificates_renewalevent")

# Events are the record of what happened: the database itself refuses to change or remove one.
FUNCTION = """
CREATE OR REPLACE FUNCTION certificates_event_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'certificate, PDU claim and renewal events are immutable (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""
TRIGGERS = "".join(
    f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION certificates_event_immutable();\n"
    for table in EVENT_TABLES
)
DROP_TRIGGERS = "".join(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};\n" for table in EVENT_TABLES)


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial")]
    operations = [
        migrations.RunSQL(SEQUENCE, DROP_SEQUENCE),
        migrations.RunSQL(
            FUNCTION + TRIGGERS, DROP_TRIGGERS + "DROP FUNCTION IF EXISTS certificates_event_immutable();"
        ),
    ]
