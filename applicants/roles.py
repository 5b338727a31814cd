"""The portal's roles: one group each, with exactly the permissions that role needs.

Other apps add their permissions to ``ROLE_PERMISSIONS`` as they grow; the groups are brought in
line after every migration, so a fresh database and an upgraded one end up the same.
"""

import functools
import hashlib

from django.utils.translation import gettext_lazy as _

from ipma_portal.reference_cache import ReferenceData

COMMITTEE_REVIEWER = "Committee reviewer"
QTSP_STAFF = "QTSP staff"
APPLICANT = "Applicant"

ROLE_LABELS = {
    COMMITTEE_REVIEWER: _("Committee reviewer"),
    QTSP_STAFF: _("QTSP staff"),
    APPLICANT: _("Applicant"),
}

# "app_label.codename" per role. Permissions of apps not yet migrated are skipped until they exist.
ROLE_PERMISSIONS: dict[str, set[str]] = {
    COMMITTEE_REVIEWER: {
        "applicants.view_user",
        # The audit trail on each record's and person's admin page (read-only for everyone).
        "audit.view_auditentry",
        "applicants.view_ethicscode",
        "applicants.add_ethicscode",
        "applicants.view_hoursentry",
        "applicants.view_hoursentryevent",
        "applicants.decide_hoursentry",
        "accreditation.view_level",
        "accreditation.view_levelapplication",
        "accreditation.review_levelapplication",
        "accreditation.view_appeal",
        "notifications.view_outboxmessage",
        "django_celery_beat.view_periodictask",
        "partners.view_qtsp",
        "partners.decide_qtsp",
        "partners.view_qtspevent",
        "partners.view_qtspdocument",
        "partners.view_qtspstaff",
        "partners.view_qtspinvitation",
        "partners.view_trainingprogramme",
        "partners.view_cohort",
        "partners.view_enrolment",
        "partners.view_historicalenrolment",
        "partners.review_trainingprogramme",
        "partners.view_programmeevent",
        "partners.view_syllabusitem",
        "partners.view_qtspreapproval",
        "partners.decide_qtspreapproval",
        "partners.view_qtspreapprovalevent",
        "partners.view_placerequest",
        "partners.view_placerequestevent",
        "fasttrack.view_fasttrackapplication",
        "fasttrack.change_fasttrackapplication",
        "fasttrack.decide_fasttrackapplication",
        "fasttrack.assign_fasttrackapplication",
        "fasttrack.view_criterionclaim",
        "fasttrack.view_proofdocument",
        "fasttrack.view_fasttrackevent",
        "fasttrack.view_referral",
        "fasttrack.view_referralevent",
        "exams.view_topic",
        "exams.view_examblueprint",
        "exams.change_examblueprint",
        "exams.view_topicweight",
        "exams.add_topicweight",
        "exams.change_topicweight",
        "exams.delete_topicweight",
        "exams.view_testcentre",
        "exams.add_testcentre",
        "exams.change_testcentre",
        "exams.view_examwindow",
        "exams.add_examwindow",
        "exams.change_examwindow",
        "exams.view_examsession",
        "exams.add_examsession",
        "exams.change_examsession",
        "exams.view_booking",
        "exams.change_booking",
        "exams.view_bookingevent",
        "exams.view_specialarrangement",
        "exams.change_specialarrangement",
        "exams.view_waitlistentry",
        "exams.view_examresult",
        "exams.add_examresult",
        "exams.view_topicscore",
        "payments.view_fee",
        "payments.add_fee",
        "payments.change_fee",
        "payments.delete_fee",
        "payments.view_invoice",
        "payments.change_invoice",
        "payments.confirm_bank_transfer",
        "payments.void_invoice",
        "payments.refund_invoice",
        "payments.view_paymentevent",
        "payments.view_refund",
        "payments.change_refund",
        "payments.view_membershipperiod",
        "payments.add_membershipperiod",
        "payments.change_membershipperiod",
        "workflows.view_proposal",
        "workflows.view_proposalevent",
        "certificates.view_certificate",
        "certificates.revoke_certificate",
        "certificates.render_certificate",
        "certificates.view_certificateevent",
        "certificates.view_pduclaim",
        "certificates.view_pduaudit",
        "certificates.audit_pduclaim",
        "certificates.view_pduclaimevent",
        "certificates.view_renewal",
        "certificates.decide_renewal",
        "certificates.view_renewalevent",
        "organizations.view_organization",
        "organizations.view_organizationstaff",
        "organizations.view_programme",
        "organizations.view_programmeapplication",
        "organizations.assign_programmereviewer",
        "organizations.decide_programmeapplication",
        "organizations.revoke_programmeapplication",
        "organizations.view_applicationevent",
        "organizations.view_accreditedmentor",
        "organizations.view_applicationdocument",
        "organizations.view_review",
        "organizations.change_review",
        "organizations.view_score",
        "organizations.view_criterion",
        "organizations.add_criterion",
        "organizations.change_criterion",
        "organizations.view_condition",
        "organizations.view_annualreport",
        "organizations.view_directorylisting",
    },
    QTSP_STAFF: set(),
    APPLICANT: set(),
}


def roles_sync(**kwargs) -> None:
    """Create the role groups and give each exactly its listed permissions (idempotent)."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    using = kwargs.get("using", "default")
    for name, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        query = Q(pk__in=[])
        for code in codes:
            app_label, codename = code.split(".", 1)
            query |= Q(content_type__app_label=app_label, codename=codename)
        wanted = set(Permission.objects.using(using).filter(query).values_list("pk", flat=True))
        current = set(group.permissions.values_list("pk", flat=True))
        if wanted != current:
            group.permissions.set(wanted)


def user_roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(user.groups.values_list("name", flat=True))


# Bumped whenever anyone's groups change in this process (a link added or removed, a group renamed or deleted):
# roles read earlier in a request are used for its navigation only if it has not moved since (the staff-session
# middleware reads them before the view, and a POST accepting a staff invitation adds a group).
_groups_generation = 0


def groups_generation() -> int:
    return _groups_generation


def groups_changed(**kwargs) -> None:
    global _groups_generation
    _groups_generation += 1


def connect_groups_changed() -> None:
    """Listen to every change of group membership or of a group (called once, from applicants' ready())."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save

    m2m_changed.connect(groups_changed, sender=get_user_model().groups.through, dispatch_uid="roles:groups-changed")
    post_save.connect(groups_changed, sender=Group, dispatch_uid="roles:group-saved")
    post_delete.connect(groups_changed, sender=Group, dispatch_uid="roles:group-deleted")


def user_privileges(user) -> tuple[bool, str]:
    """Whether the user is privileged (see ``user_is_privileged``) and a digest of those privileges:
    staff and superuser status and every permission held, their own or through a group (one query).

    The staff-session middleware compares the digest with the one stored at sign-in to rotate the
    session key when privileges change.
    """
    _roles, privileged, digest = user_access(user)
    return privileged, digest


def user_access(user) -> tuple[set[str] | None, bool, str]:
    """``user_privileges`` and the user's role groups (``user_roles``) in the same one query.

    The roles are None for a user who is signed out or inactive (no query then).
    """
    from django.db import connections, router

    if not (user.is_authenticated and user.is_active):
        return None, False, ""
    with connections[router.db_for_read(type(user))].cursor() as cursor:
        cursor.execute(_access_sql(), [user.pk] * 3)
        rows = cursor.fetchall()
    roles = {value for kind, value in rows if kind == "group"}
    permissions = sorted({int(value) for kind, value in rows if kind == "permission"})
    if not user.is_superuser:
        # Django's permission checks (the admin's, has_perm) read these again, in two queries, unless the user
        # carries them: the names of the same rows, from the permissions kept per process.
        names = PERMISSION_NAMES.get()
        if all(pk in names for pk in permissions):
            user._perm_cache = {names[pk] for pk in permissions}
    privileged = bool(user.is_staff or user.is_superuser or permissions)
    digest = hashlib.sha256(f"{user.pk}:{user.is_staff}:{user.is_superuser}:{permissions}".encode()).hexdigest()
    return roles, privileged, digest[:32]


def _permission_names() -> dict[int, str]:
    """Every permission's "app_label.codename" (as Django's has_perm names it) by its id."""
    from django.contrib.auth.models import Permission
    from django.db.models import Value
    from django.db.models.functions import Concat

    return dict(Permission.objects.values_list("pk", Concat("content_type__app_label", Value("."), "codename")))


PERMISSION_NAMES = ReferenceData("permission-names", models=["auth.Permission", "contenttypes.ContentType"],
                                 build=_permission_names)


@functools.cache
def _access_sql() -> str:
    """Three index look-ups on the link tables: the user's groups, their own permissions and their groups'
    permissions (no join through the permission and content-type tables, no ordering). It runs on every
    signed-in request, so it is written once here rather than built by the ORM each time (a third of the cost)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    user_groups = user_model.groups.through._meta
    user_permissions = user_model.user_permissions.through._meta
    group_permissions = Group.permissions.through._meta

    def column(meta, name: str) -> str:
        return meta.get_field(name).column

    return (
        f'SELECT \'group\', g."name" FROM "{Group._meta.db_table}" g'
        f' JOIN "{user_groups.db_table}" ug ON ug."{column(user_groups, "group")}" = g."id"'
        f' WHERE ug."{column(user_groups, "user")}" = %s'
        f' UNION ALL SELECT \'permission\', up."{column(user_permissions, "permission")}"::text'
        f' FROM "{user_permissions.db_table}" up WHERE up."{column(user_permissions, "user")}" = %s'
        f' UNION ALL SELECT \'permission\', gp."{column(group_permissions, "permission")}"::text'
        f' FROM "{group_permissions.db_table}" gp'
        f' JOIN "{user_groups.db_table}" ug ON ug."{column(user_groups, "group")}" = gp."{column(group_permissions, "group")}"'
        f' WHERE ug."{column(user_groups, "user")}" = %s'
    )


def user_is_privileged(user) -> bool:
    """Whether the user's access depends on staff status or on permissions (a staff group's or their own).

    Such users must pass two-factor in every session, on every URL. Role groups without
    permissions (applicants, QTSP staff) give access only to their own records and do not count.
    """
    return user_privileges(user)[0]
