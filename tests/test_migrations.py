import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    # --check exits non-zero when a model change has no migration (or the models are not stable
    # from one process to the next, as an unordered set in a constraint once made them).
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
