import datetime
from decimal import Decimal

import factory
from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile

from accreditation.models import Level
from certificates.models import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    PDUCategory,
    PDUClaim,
    PDUClaimStatus,
    Renewal,
    RenewalStatus,
)
from certificates.periods import today
from tests.documents.samples import pdf_bytes
from tests.factories import ApplicantFactory


class CertificateFactory(factory.django.DjangoModelFactory):
    """A certificate written directly (any status, any dates); services issue real ones."""

    class Meta:
        model = Certificate
        skip_postgeneration_save = True

    class Params:
        level_code = "AM"

    kind = CertificateKind.INDIVIDUAL
    holder = factory.SubFactory(ApplicantFactory)
    level = factory.LazyAttribute(lambda o: Level.objects.get(code=o.level_code))
    legal_name = factory.LazyAttribute(lambda o: o.holder.full_name or "Ada Lovelace")
    issued_on = factory.LazyFunction(today)
    valid_from = factory.LazyAttribute(lambda o: o.issued_on)
    expires_on = factory.LazyAttribute(lambda o: o.valid_from + relativedelta(years=5))
    status = CertificateStatus.ACTIVE
    number = factory.LazyAttributeSequence(lambda o, n: f"IPMA-{o.level.code}-{o.issued_on.year}-T{n:05d}")

    @classmethod
    def expiring_in(cls, days: int, **kwargs) -> Certificate:
        expires_on = today() + datetime.timedelta(days=days)
        valid_from = expires_on + relativedelta(years=-5)
        return cls(issued_on=valid_from, valid_from=valid_from, expires_on=expires_on, **kwargs)


class PDUClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PDUClaim

    certificate = factory.SubFactory(CertificateFactory)
    holder = factory.LazyAttribute(lambda o: o.certificate.holder)
    activity = factory.Sequence(lambda n: f"Mentoring supervision workshop {n}")
    provider = "Mentoring Institute"
    activity_date = factory.LazyAttribute(lambda o: o.certificate.valid_from)
    hours = Decimal("10.0")
    category = PDUCategory.EDUCATION
    evidence = factory.LazyFunction(lambda: ContentFile(pdf_bytes(), name="evidence.pdf"))
    evidence_name = "evidence.pdf"
    evidence_kind = "pdf"
    status = PDUClaimStatus.APPROVED


class RenewalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Renewal

    certificate = factory.SubFactory(CertificateFactory)
    holder = factory.LazyAttribute(lambda o: o.certificate.holder)
    status = RenewalStatus.AWAITING_PAYMENT
    pdu_hours = Decimal("30.0")
    pdu_required = 30


def programme_certificate(**kwargs) -> Certificate:
    defaults = {
        "kind": CertificateKind.PROGRAMME, "holder": None, "level": None, "organization_id": 7,
        "organization_name": "Acme Learning", "legal_name": "Acme Learning", "programme_name": "Acme Mentors",
        "number": f"IPMA-PRG-{today().year}-T{Certificate.objects.count() + 1:05d}",
    }
    return CertificateFactory(**{**defaults, **kwargs})
