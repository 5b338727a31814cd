"""The committee's screens for programme accreditation (registered by importing the modules)."""

from organizations.admin import applications, catalogue, reviews, sponsorships  # noqa: F401
