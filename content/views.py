import logging

from allauth.account.models import EmailAddress
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

from content import selectors
from content.forms import ContactForm
from content.models import ContactTopic, Page
from content.services import contact_message_send

logger = logging.getLogger(__name__)

CONTACT_RATE_GROUP = "content.contact"
RETRY_AFTER_SECONDS = 3600


@require_GET
def page_detail(request, slug: str):
    try:
        page = selectors.page_published(slug=slug)
    except Page.DoesNotExist:
        raise Http404 from None
    return render(request, "content/page_detail.html", {
        "page": page, "missing_language": selectors.page_language_missing(page),
    })


@require_GET
def faq(request):
    return render(request, "content/faq_list.html", {"groups": selectors.faq_groups()})


@require_GET
def leadership(request):
    return render(request, "content/leadership_list.html", {"leadership": selectors.leadership()})


@require_GET
def ethics_public(request):
    versions = list(selectors.ethics_versions())
    return render(request, "content/ethics_public.html", {
        "code": versions[0] if versions else None, "versions": versions, "is_current": True,
    })


@require_GET
def ethics_public_version(request, version: int):
    versions = list(selectors.ethics_versions())
    code = next((v for v in versions if v.version == version), None)
    if code is None:
        raise Http404
    return render(request, "content/ethics_public.html", {
        "code": code, "versions": versions, "is_current": code is versions[0],
    })


def _contact_rate_limited(request) -> bool:
    try:
        return is_ratelimited(request, group=CONTACT_RATE_GROUP, key="ip", rate=settings.CONTENT_CONTACT_RATE,
                              increment=True)
    except (RedisError, OSError):
        logger.warning("Rate limiting is unavailable (Redis); accepting the contact message", exc_info=True)
        return False


def contact(request):
    initial = {}
    if request.GET.get("topic") in ContactTopic.values:
        initial["topic"] = request.GET["topic"]
    if request.user.is_authenticated:
        initial.update(name=request.user.get_full_name(), email=request.user.email)
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if _contact_rate_limited(request):
            response = render(request, "content/contact_rate_limited.html", status=429)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        if form.is_valid():
            # A filled honeypot looks like success to the robot, and nothing is kept or sent.
            if not form.is_spam():
                data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
                contact_message_send(**data, sender=request.user,
                                     copy_to_sender=_own_verified_address(request.user, data["email"]))
            return redirect("content:contact_sent")
    return render(request, "content/contact_form.html", {"form": form})


def _own_verified_address(user, email: str) -> bool:
    return user.is_authenticated and EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@require_GET
def contact_sent(request):
    return render(request, "content/contact_sent.html")
