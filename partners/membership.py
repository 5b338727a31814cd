"""Kept only because migrations 0001 of partners and organizations name this nonce default by this path.

The staff mechanism itself lives in the ``staff`` app.
"""

from staff.models import nonce_new as _new_nonce  # noqa: F401
