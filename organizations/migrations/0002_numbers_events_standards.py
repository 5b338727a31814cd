from django.db import migrations

SEQUENCE = "CREATE SEQUENCE IF NOT EXISTS organizations_application_number_seq START 1"
DROP_SEQUENCE = "DROP SEQUENCE IF EXISTS organizations_application_number_seq"

# Events are the record of what happened: the database itself refuses to change or remove one.
IMMUTABLE = """
CREATE OR REPLACE FUNCTION organizations_event_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'programme application events are immutable (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER organizations_applicationevent_immutable
    BEFORE UPDATE OR DELETE ON organizations_applicationevent
    FOR EACH ROW EXECUTE FUNCTION organizations_event_immutable();
"""
DROP_IMMUTABLE = """
DROP TRIGGER IF EXISTS organizations_applicationevent_immutable ON organizations_applicationevent;
DROP FUNCTION IF EXISTS organizations_event_immutable();
"""

# The issue names the areas (design, matching, training, support, evaluation, ethics); the guidance is
# a starting point the committee edits in the admin.
STANDARDS = [
    ("design", "Programme design",
     "0: no stated purpose or audience. 2: purpose, audience and duration stated. "
     "4: clear goals tied to the audience's needs, with a written programme plan."),
    ("matching", "Matching of mentors and mentees",
     "0: no matching process. 2: a described process. 4: documented criteria, mentee input and a way to re-match."),
    ("training", "Mentor training",
     "0: none. 2: some training before mentoring starts. "
     "4: structured training (a QTSP or an equivalent in-house course) and accredited mentors on the team."),
    ("support", "Support and supervision",
     "0: mentors are left alone. 2: occasional check-ins. 4: regular supervision and a named contact for problems."),
    ("evaluation", "Monitoring and evaluation",
     "0: nothing measured. 2: participation tracked. 4: outcomes measured and used to improve the programme."),
    ("ethics", "Ethics",
     "0: no code of ethics. 2: the IPMA code adopted. "
     "4: the code is adopted, taught to mentors and there is a way to raise concerns."),
]


def standards_add(apps, schema_editor):
    Criterion = apps.get_model("organizations", "Criterion")
    for position, (code, name, guidance) in enumerate(STANDARDS, start=1):
        Criterion.objects.get_or_create(code=code, defaults={"name": name, "guidance": guidance, "position": position})


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [
        migrations.RunSQL(SEQUENCE, DROP_SEQUENCE),
        migrations.RunSQL(IMMUTABLE, DROP_IMMUTABLE),
        migrations.RunPython(standards_add, migrations.RunPython.noop),
    ]
