"""The committee's screens. Every decision goes through ``accreditation.services``; nothing here sets a status."""

from accreditation.admin import appeals, applications, levels

__all__ = ["appeals", "applications", "levels"]
