"""Every change in the partners app: one function per business action, each in one transaction.

``qtsps`` (the application and the committee's decisions), ``programmes`` (programmes and cohorts),
``rosters`` (enrolments, completions, the CSV export) and ``roster_import`` (the CSV import). Staff changes
(invite, accept, remove) are the shared mechanism's services: ``partners.staff.qtsp_staff``.
"""

from partners.services.programmes import COHORT_FIELDS, PROGRAMME_FIELDS, cohort_save, programme_save
from partners.services.qtsps import (
    qtsp_apply,
    qtsp_approve,
    qtsp_reject,
    qtsp_require_active,
    qtsp_suspend,
    qtsp_transition,
)
from partners.services.roster_import import ROSTER_COLUMNS, ROSTER_MAX_ROWS, RosterImport, roster_import
from partners.services.rosters import (
    ROSTER_EXPORT_COLUMNS,
    Outcome,
    enrolment_accept,
    enrolment_add,
    enrolment_record,
    enrolment_withdraw,
    enrolments_link,
    roster_csv,
)

__all__ = [
    "COHORT_FIELDS", "PROGRAMME_FIELDS", "ROSTER_COLUMNS", "ROSTER_EXPORT_COLUMNS", "ROSTER_MAX_ROWS",
    "Outcome", "RosterImport", "cohort_save", "enrolment_accept", "enrolment_add", "enrolment_record", "enrolment_withdraw",
    "enrolments_link", "programme_save", "qtsp_apply", "qtsp_approve", "qtsp_reject", "qtsp_require_active",
    "qtsp_suspend", "qtsp_transition", "roster_csv", "roster_import",
]
