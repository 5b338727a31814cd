from django.db import migrations

SEQUENCE = "CREATE SEQUENCE IF NOT EXISTS accreditation_application_number_seq START 1"
DROP_SEQUENCE = "DROP SEQUENCE IF EXISTS accreditation_application_number_seq"

# Events are the record of what happened: the database itself refuses to change or remove one.
IMMUTABLE = """
CREATE OR REPLACE FUNCTION accreditation_event_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'application events are immutable (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accreditation_applicationevent_immutable
    BEFORE UPDATE OR DELETE ON accreditation_applicationevent
    FOR EACH ROW EXECUTE FUNCTION accreditation_event_immutable();
"""
DROP_IMMUTABLE = """
DROP TRIGGER IF EXISTS accreditation_applicationevent_immutable ON accreditation_applicationevent;
DROP FUNCTION IF EXISTS accreditation_event_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("accreditation", "0003_applications")]
    operations = [
        migrations.RunSQL(SEQUENCE, DROP_SEQUENCE),
        migrations.RunSQL(IMMUTABLE, DROP_IMMUTABLE),
    ]
