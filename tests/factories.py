import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from applicants.models import User
from applicants.roles import APPLICANT, COMMITTEE_REVIEWER, QTSP_STAFF

PASSWORD = "correct-horse-battery"


def _role_hook(default: str | None):
    """``role="QTSP staff"`` (or the factory's default role) puts the user in that role's group."""

    def add_role(user, create, extracted, **kwargs):
        if create and (extracted or default):
            user.groups.add(Group.objects.get_or_create(name=extracted or default)[0])

    return factory.PostGeneration(add_role)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)
    role = _role_hook(None)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class ApplicantFactory(UserFactory):
    role = _role_hook(APPLICANT)


class ReviewerFactory(UserFactory):
    role = _role_hook(COMMITTEE_REVIEWER)
    is_staff = True


class QTSPStaffFactory(UserFactory):
    role = _role_hook(QTSP_STAFF)
