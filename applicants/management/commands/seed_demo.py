from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = "Load demo data for every app (idempotent): each app's demo.seed(stdout), in INSTALLED_APPS order."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            # Each app may ship a ``demo`` module; the lower layers come first in INSTALLED_APPS.
            if module_has_submodule(config.module, "demo"):
                import_module(f"{config.name}.demo").seed(self.stdout)
