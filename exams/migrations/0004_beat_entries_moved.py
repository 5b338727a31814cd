"""Beat's schedule lives in the database (django-celery-beat): remove the rows of the jobs whose tasks
are gone, so beat does not send them every few minutes. ``exams-release-unpaid`` replaces payments'
sweep (settings add it at start); the exam-window lapse job is accreditation's now."""

from django.db import migrations

GONE = ["payments-release-unpaid-exam-invoices", "exams-eligibility-lapse"]


def remove_gone_entries(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=GONE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0003_booking_events_on_the_engine"),
        ("django_celery_beat", "0001_initial"),
    ]
    operations = [migrations.RunPython(remove_gone_entries, migrations.RunPython.noop)]
