import os

from celery import Celery

# Whether this import chose the settings; `python -m ipma_portal.embedded exec` must not pass
# that choice on to the command it runs (pytest picks the test settings itself).
SETTINGS_DEFAULTED = "DJANGO_SETTINGS_MODULE" not in os.environ
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipma_portal.settings.local")

app = Celery("ipma_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
