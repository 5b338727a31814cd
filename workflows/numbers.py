"""Human-readable reference numbers (applications, invoices, certificates) from PostgreSQL sequences.

A sequence never hands out the same value twice, even to concurrent transactions, and a rolled-back
transaction only leaves a gap: numbers are unique without a lock. Each sequence is created by its app's
migration with :func:`NumberSequence`.
"""

from django.db import connection, migrations


def number_next(sequence: str) -> int:
    """The next value of ``sequence``."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [sequence])
        (value,) = cursor.fetchone()
    return value


def NumberSequence(sequence: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        f"CREATE SEQUENCE IF NOT EXISTS {sequence} START 1", f"DROP SEQUENCE IF EXISTS {sequence}"
    )
