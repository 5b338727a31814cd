"""Certificate, PDU claim and renewal events on the shared workflow engine: one trigger, the actor's name."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from workflows.operations import ActorNamesBackfill, ImmutableEvents

TABLES = ("certificates_certificateevent", "certificates_pduclaimevent", "certificates_renewalevent")
# The trigger function of migration 0002 gives way to the one of ``workflows`` (same trigger names).
DROP_OLD = "".join(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION IF EXISTS certificates_event_immutable();"
)
RESTORE_OLD = """
CREATE OR REPLACE FUNCTION certificates_event_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'certificate, PDU claim and renewal events are immutable (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION certificates_event_immutable();\n"
    for table in TABLES
)


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0002_number_sequence_immutable_events'),
        ('workflows', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(DROP_OLD, RESTORE_OLD),
        *(ImmutableEvents(table) for table in TABLES),
        migrations.AddField(
            model_name='certificateevent',
            name='actor_name',
            field=models.CharField(blank=True, editable=False, help_text='Who acted, kept even after their account is deleted.', max_length=300, verbose_name='by (name)'),
        ),
        migrations.AddField(
            model_name='pduclaimevent',
            name='actor_name',
            field=models.CharField(blank=True, editable=False, help_text='Who acted, kept even after their account is deleted.', max_length=300, verbose_name='by (name)'),
        ),
        migrations.AddField(
            model_name='renewalevent',
            name='actor_name',
            field=models.CharField(blank=True, editable=False, help_text='Who acted, kept even after their account is deleted.', max_length=300, verbose_name='by (name)'),
        ),
        migrations.AlterField(
            model_name='certificateevent',
            name='actor',
            field=models.ForeignKey(blank=True, help_text='Empty when the portal acted by itself (payment, deadline, expiry).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by'),
        ),
        migrations.AlterField(
            model_name='certificateevent',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='at'),
        ),
        migrations.AlterField(
            model_name='pduclaimevent',
            name='actor',
            field=models.ForeignKey(blank=True, help_text='Empty when the portal acted by itself (payment, deadline, expiry).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by'),
        ),
        migrations.AlterField(
            model_name='pduclaimevent',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='at'),
        ),
        migrations.AlterField(
            model_name='renewalevent',
            name='actor',
            field=models.ForeignKey(blank=True, help_text='Empty when the portal acted by itself (payment, deadline, expiry).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by'),
        ),
        migrations.AlterField(
            model_name='renewalevent',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='at'),
        ),
        *(ActorNamesBackfill(table) for table in TABLES),
    ]
