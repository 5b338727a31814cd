"""Booking history on the workflow engine: the actor's name kept, PROTECT from the booking, immutable rows."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from workflows.operations import ActorNamesBackfill, ImmutableEvents


class Migration(migrations.Migration):

    dependencies = [
        ('exams', '0002_curriculum'),
        ('workflows', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='bookingevent',
            name='actor_name',
            field=models.CharField(blank=True, editable=False, help_text='Who acted, kept even after their account is deleted.', max_length=300, verbose_name='by (name)'),
        ),
        migrations.AlterField(
            model_name='bookingevent',
            name='actor',
            field=models.ForeignKey(blank=True, help_text='Empty when the portal acted by itself (payment, deadline, expiry).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by'),
        ),
        migrations.AlterField(
            model_name='bookingevent',
            name='booking',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='exams.booking', verbose_name='booking'),
        ),
        migrations.AlterField(
            model_name='bookingevent',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='at'),
        ),
        ActorNamesBackfill("exams_bookingevent"),
        ImmutableEvents("exams_bookingevent"),
    ]
