"""Application events on the shared workflow engine: the shared immutability trigger and the actor's name."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from workflows.operations import ActorNamesBackfill, ImmutableEvents

TABLE = "accreditation_applicationevent"
# The trigger function of migration 0004 gives way to the one of ``workflows`` (same trigger name).
DROP_OLD = f"""
DROP TRIGGER IF EXISTS {TABLE}_immutable ON {TABLE};
DROP FUNCTION IF EXISTS accreditation_event_immutable();
"""
RESTORE_OLD = f"""
CREATE OR REPLACE FUNCTION accreditation_event_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'application events are immutable (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {TABLE}_immutable BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION accreditation_event_immutable();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('accreditation', '0004_number_sequence_immutable_events'),
        ('workflows', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(DROP_OLD, RESTORE_OLD),
        ImmutableEvents(TABLE),
        migrations.AddField(
            model_name='applicationevent',
            name='actor_name',
            field=models.CharField(blank=True, editable=False, help_text='Who acted, kept even after their account is deleted.', max_length=300, verbose_name='by (name)'),
        ),
        migrations.AlterField(
            model_name='applicationevent',
            name='actor',
            field=models.ForeignKey(blank=True, help_text='Empty when the portal acted by itself (payment, deadline, expiry).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by'),
        ),
        migrations.AlterField(
            model_name='applicationevent',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='at'),
        ),
        ActorNamesBackfill(TABLE),
    ]
