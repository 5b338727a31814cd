import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipma_portal.settings.local")

app = Celery("ipma_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
