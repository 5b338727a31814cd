"""Invoice history on the workflow engine (actor's name, PROTECT, immutable rows); payment events keep
the name of the person who confirmed them."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from workflows.operations import ActorNamesBackfill, ImmutableEvents


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0003_fee_schedule'),
        ('workflows', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='invoiceevent',
            name='actor_name',
            field=models.CharField(blank=True, editable=False, help_text='Who acted, kept even after their account is deleted.', max_length=300, verbose_name='by (name)'),
        ),
        migrations.AddField(
            model_name='paymentevent',
            name='actor_name',
            field=models.CharField(blank=True, editable=False, help_text='Who confirmed, kept even after their account is deleted.', max_length=300, verbose_name='confirmed by (name)'),
        ),
        migrations.AlterField(
            model_name='invoiceevent',
            name='actor',
            field=models.ForeignKey(blank=True, help_text='Empty when the portal acted by itself (payment, deadline, expiry).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by'),
        ),
        migrations.AlterField(
            model_name='invoiceevent',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='at'),
        ),
        migrations.AlterField(
            model_name='invoiceevent',
            name='invoice',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='payments.invoice', verbose_name='invoice'),
        ),
        ActorNamesBackfill("payments_invoiceevent"),
        ActorNamesBackfill("payments_paymentevent"),
        ImmutableEvents("payments_invoiceevent"),
    ]
