import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from applicants.demo import demo_secrets


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo staff accounts (local settings only)."

    def handle(self, *args, **options):
        totp_secret = demo_secrets()[1]
        self.stdout.write(format_hotp_value(hotp_value(totp_secret, int(time.time()) // 30)))
