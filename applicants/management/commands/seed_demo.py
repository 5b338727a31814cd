from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import module_has_submodule

PRODUCTION_SETTINGS = "ipma_portal.settings.production"


class Command(BaseCommand):
    help = "Load demo data for every app (idempotent): each app's demo.seed(stdout), in INSTALLED_APPS order."

    def handle(self, *args, **options):
        # The demo accounts have a published password and TOTP secret: they must never exist where
        # real people sign in.
        if settings.SETTINGS_MODULE == PRODUCTION_SETTINGS:
            raise CommandError(
                "seed_demo refuses to run under production settings: the demo accounts have a published "
                "password and two-factor secret."
            )
        if not getattr(settings, "DEMO_PASSWORD", "") or not getattr(settings, "DEMO_TOTP_SECRET", ""):
            raise CommandError(
                "seed_demo needs DEMO_PASSWORD and DEMO_TOTP_SECRET, which only the local and test settings define."
            )
        for config in apps.get_app_configs():
            # Each app may ship a ``demo`` module; the lower layers come first in INSTALLED_APPS.
            if module_has_submodule(config.module, "demo"):
                import_module(f"{config.name}.demo").seed(self.stdout)
