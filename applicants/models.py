import zoneinfo

from dateutil.relativedelta import relativedelta
from django.conf import global_settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from documents.storage import private_storage, private_upload_to
from workflows.models import Workflow, WorkflowEvent
from workflows.search import vector


class EducationLevel(models.TextChoices):
    """Highest completed education, in increasing order."""

    SECONDARY = "secondary", _("Secondary school")
    VOCATIONAL = "vocational", _("Vocational or associate degree")
    BACHELOR = "bachelor", _("Bachelor degree or equivalent")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctorate")

    @classmethod
    def rank(cls, value: str) -> int:
        """Position in the order above (0 for none), so levels can be compared."""
        values = [choice.value for choice in cls]
        return values.index(value) + 1 if value in values else 0


# A mentoring-hours entry may go this far back (a longer span is a mistyped year).
HOURS_OLDEST_YEARS = 50

TIME_ZONE_CHOICES = sorted((name, name.replace("_", " ")) for name in zoneinfo.available_timezones())


def language_choices() -> list[tuple[str, str]]:
    """Django's list of languages, each named in the active language (Django's own catalogs translate them); a
    callable, so a form or a display asks it in the reader's language."""
    return [(code, gettext(name)) for code, name in global_settings.LANGUAGES]


def time_zone_choices() -> list[tuple[str, str]]:
    """The time zones of this machine's tz database: a callable, so migrations name it rather than copy a list that
    changes with every tzdata release (and that Django would copy again each time it rebuilds a model's state)."""
    return TIME_ZONE_CHOICES


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address; roles are groups."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=time_zone_choices, default="UTC",
        help_text=_("Dates and times are shown in this time zone."),
    )
    preferred_language = models.CharField(_("preferred language"), max_length=10, blank=True)
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Whether the user can use the committee admin.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # The committee lists' search (workflows.search): the name's words, the whole email and its parts
    # ("ann.okafor@example.org" is found by "ann", "okafor" or "example"); kept by PostgreSQL itself.
    search_vector = models.GeneratedField(
        expression=vector("full_name", "email", Func(F("email"), Value("@.+_"), Value("    "), function="translate")),
        output_field=SearchVectorField(), db_persist=True,
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="applicants_user_email_ci_unique")]
        indexes = [GinIndex(fields=["search_vector"], name="applicants_user_search_idx")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Profile(models.Model):
    """What the committee needs to know about an applicant, beyond the account."""

    user = models.OneToOneField(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="profile")
    legal_name = models.CharField(
        _("legal name"), max_length=200, blank=True,
        help_text=_("Exactly as it must appear on your certificate."),
    )
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    languages = ArrayField(
        models.CharField(max_length=10, choices=language_choices), verbose_name=_("languages"),
        default=list, blank=True, help_text=_("The languages you mentor in."),
    )
    highest_education = models.CharField(
        _("highest education"), max_length=20, choices=EducationLevel.choices, blank=True
    )
    education_proof = models.FileField(
        _("proof of education"), storage=private_storage, upload_to=private_upload_to("education"), blank=True,
        help_text=_("A diploma or transcript (PDF, JPEG, PNG or DOCX)."),
    )
    education_proof_name = models.CharField(_("proof file name"), max_length=255, blank=True)
    mentoring_since = models.DateField(
        _("mentoring since"), null=True, blank=True, help_text=_("When you started mentoring others.")
    )
    background = models.TextField(_("professional background"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The legal name's words, for the committee lists' search (workflows.search).
    search_vector = models.GeneratedField(
        expression=vector("legal_name"), output_field=SearchVectorField(), db_persist=True,
    )

    class Meta:
        verbose_name = _("applicant profile")
        verbose_name_plural = _("applicant profiles")
        indexes = [GinIndex(fields=["search_vector"], name="applicants_profile_search_idx")]

    def __str__(self) -> str:
        return self.legal_name or str(self.user)


class MentoringFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")
    GROUP = "group", _("Group")


class ConfirmationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Not confirmed")
    REQUESTED = "requested", _("Awaiting the mentee's confirmation")
    CONFIRMED = "confirmed", _("Confirmed by the mentee")
    DISPUTED = "disputed", _("Disputed: with the committee")
    EXPIRED = "expired", _("Confirmation not given in time")
    ACCEPTED = "accepted", _("Accepted by the committee")
    REJECTED = "rejected", _("Rejected by the committee")


C = ConfirmationStatus
# An edit of the hours, dates or format returns a requested, confirmed or expired entry to UNCONFIRMED:
# the mentee confirmed other hours. A disputed entry waits for the committee, who accepts or rejects it.
CONFIRMATION_TRANSITIONS: dict[str, frozenset[str]] = {
    C.UNCONFIRMED: frozenset({C.REQUESTED}),
    C.REQUESTED: frozenset({C.CONFIRMED, C.DISPUTED, C.EXPIRED, C.UNCONFIRMED}),
    C.CONFIRMED: frozenset({C.UNCONFIRMED}),
    C.EXPIRED: frozenset({C.UNCONFIRMED}),
    C.DISPUTED: frozenset({C.ACCEPTED, C.REJECTED}),
    C.ACCEPTED: frozenset(),
    C.REJECTED: frozenset(),
}
#: Statuses whose hours count as confirmed for a level's confirmed share.
CONFIRMED_STATUSES = frozenset({C.CONFIRMED, C.ACCEPTED})


class HoursEntry(Workflow):
    """Mentoring service given to one mentee (or organization) over a period.

    ``status`` is the mentee's confirmation of the entry (``CONFIRMATION_TRANSITIONS``), moved only by
    ``applicants.confirmations``.
    """

    TRANSITIONS = CONFIRMATION_TRANSITIONS

    user = models.ForeignKey(User, verbose_name=_("mentor"), on_delete=models.CASCADE, related_name="hours_entries")
    mentee = models.CharField(
        _("mentee or organization"), max_length=200,
        help_text=_("A pseudonym is enough: the committee may ask for evidence."),
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    format = models.CharField(_("format"), max_length=20, choices=MentoringFormat.choices)
    notes = models.TextField(_("notes"), blank=True)
    # Set when an approved application counted this entry: from then on it is evidence and stays as it was.
    locked_at = models.DateTimeField(_("used in an approved application on"), null=True, blank=True)
    created_at = models.DateTimeField(_("logged at"), default=timezone.now)
    # Used only to ask this one confirmation; erased with the entry.
    confirmer_email = models.EmailField(
        _("confirmation by (e-mail)"), blank=True,
        help_text=_("Optional: the mentee's or a supervisor's e-mail address. They are asked once to confirm "
                    "these hours; the address is used for nothing else."),
    )
    status = models.CharField(_("confirmation"), max_length=20, choices=ConfirmationStatus.choices,
                              default=ConfirmationStatus.UNCONFIRMED, db_index=True)
    # Only a hash: the link in the mail is the one copy of the token, so nobody reading the database can use it.
    confirmation_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    confirmation_requested_at = models.DateTimeField(_("confirmation asked on"), null=True, blank=True, editable=False)
    confirmation_answered_at = models.DateTimeField(_("answered on"), null=True, blank=True, editable=False)
    confirmation_comment = models.TextField(_("mentee's comment"), blank=True, editable=False)

    class Meta:
        verbose_name = _("mentoring-hours entry")
        verbose_name_plural = _("mentoring-hours entries")
        ordering = ["-started_on", "-pk"]
        permissions = [("decide_hoursentry", _("Can decide about disputed mentoring hours"))]
        # The committee's list of every entry, newest first, read a page at a time (scanned backwards).
        indexes = [models.Index(fields=["started_on", "id"], name="applicants_hours_started_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="applicants_hoursentry_hours_positive"),
            models.CheckConstraint(
                condition=models.Q(ended_on__gte=models.F("started_on")), name="applicants_hoursentry_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee}: {self.hours} h ({self.started_on} – {self.ended_on})"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_confirmed(self) -> bool:
        return self.status in CONFIRMED_STATUSES

    @property
    def is_under_dispute(self) -> bool:
        """Disputed or rejected: the committee's word stands, the mentor no longer edits the entry."""
        return self.status in (ConfirmationStatus.DISPUTED, ConfirmationStatus.REJECTED)

    def clean(self) -> None:
        errors = {}
        if self.started_on and self.ended_on:
            if self.ended_on < self.started_on:
                errors["ended_on"] = _("The end date is before the start date.")
            elif self.ended_on > timezone.localdate():
                errors["ended_on"] = _("Hours can only be logged once they have been given.")
            elif self.started_on < timezone.localdate() - relativedelta(years=HOURS_OLDEST_YEARS):
                errors["started_on"] = _("Hours given more than %(years)s years ago cannot be logged; check the year.") % {
                    "years": HOURS_OLDEST_YEARS}
            elif self.hours is not None and self.hours > 24 * ((self.ended_on - self.started_on).days + 1):
                errors["hours"] = _("More hours than the period has.")
        if self.hours is not None and self.hours <= 0:
            errors["hours"] = _("Enter a number of hours above zero.")
        if errors:
            raise ValidationError(errors)


class HoursEntryEvent(WorkflowEvent):
    """One line of an entry's confirmation history.

    Not a database foreign key: a mentor may delete an unlocked entry (and an erased account's entries
    go), while history rows can never be deleted. The history keeps statuses and times, never the
    mentee's address or comment, so nothing personal outlives the entry.
    """

    entry = models.ForeignKey(HoursEntry, on_delete=models.DO_NOTHING, db_constraint=False, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("hours confirmation event")
        verbose_name_plural = _("hours confirmation events")


class EthicsCode(models.Model):
    """One version of the Code of Ethics and Conduct; the newest published one is current."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200, default="Code of Ethics and Conduct")
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("code of ethics version")
        verbose_name_plural = _("code of ethics versions")
        ordering = ["-version"]

    def __str__(self) -> str:
        return _("%(title)s, version %(version)s") % {"title": self.title, "version": self.version}


class EthicsAdoption(models.Model):
    """An applicant's adoption of one version of the code, with when."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="ethics_adoptions")
    code = models.ForeignKey(EthicsCode, verbose_name=_("version"), on_delete=models.PROTECT, related_name="adoptions")
    adopted_at = models.DateTimeField(_("adopted at"), default=timezone.now)

    class Meta:
        verbose_name = _("ethics adoption")
        verbose_name_plural = _("ethics adoptions")
        constraints = [models.UniqueConstraint(fields=["user", "code"], name="applicants_ethics_adopted_once")]

    def __str__(self) -> str:
        return f"{self.user} – v{self.code.version}"
