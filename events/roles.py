"""The committee reviewer's permissions on events.

TO MOVE into ``applicants.roles.ROLE_PERMISSIONS[COMMITTEE_REVIEWER]`` (applicants is being reworked
in parallel); until then ``EventsConfig.ready`` adds them there, before ``roles_sync`` runs after migrate.
"""

REVIEWER_PERMISSIONS = {
    "events.view_event", "events.add_event", "events.change_event", "events.view_eventevent",
    "events.view_series", "events.add_series", "events.change_series",
    "events.view_eventprice", "events.add_eventprice", "events.change_eventprice", "events.delete_eventprice",
    "events.view_programmeitem", "events.add_programmeitem", "events.change_programmeitem",
    "events.delete_programmeitem",
    "events.view_registration", "events.change_registration", "events.view_registrationevent",
    "events.view_pducredit",
    "content.view_expert",
}


def grant() -> None:
    from applicants.roles import COMMITTEE_REVIEWER, ROLE_PERMISSIONS

    ROLE_PERMISSIONS[COMMITTEE_REVIEWER] |= REVIEWER_PERMISSIONS
