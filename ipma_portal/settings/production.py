"""Production: every secret from the environment, HTTPS only; `check --deploy` is clean."""

from .base import *  # noqa: F403
from .base import DEBUG, EMBEDDED_SERVICES, MFA_ENCRYPTION_KEY, PAYMENTS_DEMO_PROVIDER, env

if EMBEDDED_SERVICES:
    raise RuntimeError("IPMA_EMBEDDED_SERVICES must be off in production: set DATABASE_URL and REDIS_URL")

if DEBUG:
    raise RuntimeError("DEBUG must be off in production")
# payments: the demo provider marks invoices paid with no money moving; never in production.
if PAYMENTS_DEMO_PROVIDER:
    raise RuntimeError("PAYMENTS_DEMO_PROVIDER must be off in production")

# Authenticator secrets are encrypted with a key of their own, never a default one.
if not MFA_ENCRYPTION_KEY:
    raise RuntimeError("MFA_ENCRYPTION_KEY is not set: give a long random string (it encrypts TOTP secrets)")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
