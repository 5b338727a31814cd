import json
import logging

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

from documents.responses import private_file_response
from ipma_portal.public_cache import public_page
from publications import selectors, services
from publications.forms import SearchForm, SubscribeForm, TopicsForm
from publications.models import Article, Issue, Publication, Subscriber
from publications.tokens import confirm_token_read, manage_token_read

logger = logging.getLogger(__name__)


def _topics():
    # The curriculum's topics, reached through the relation so that this app imports nothing from exams.
    return Subscriber.topics.field.related_model.objects.order_by("position")


@require_GET
@public_page("publications", models=["publications.Publication", "publications.Issue", "publications.Article",
                                     "publications.Research"])
def publication_list(request):
    return render(request, "publications/publication_list.html", {"publications": selectors.publications_list()})


@require_GET
def publication_detail(request, slug: str):
    publication = get_object_or_404(Publication, slug=slug)
    return render(request, "publications/publication_detail.html", {
        "publication": publication, "issues": selectors.issues_of(publication),
    })


@require_GET
def issue_detail(request, slug: str, number: int):
    try:
        issue = selectors.issue_published(slug=slug, number=number)
    except Issue.DoesNotExist:
        raise Http404 from None
    return render(request, "publications/issue_detail.html", {
        "issue": issue, "articles": selectors.articles_of(issue),
        "can_read_pdf": selectors.can_read_issue_pdf(user=request.user),
    })


@require_GET
def issue_pdf(request, slug: str, number: int):
    try:
        issue = selectors.issue_published(slug=slug, number=number)
    except Issue.DoesNotExist:
        raise Http404 from None
    if not issue.pdf:
        raise Http404
    if not selectors.can_read_issue_pdf(user=request.user):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        return render(request, "publications/members_only.html", status=403)
    return private_file_response(issue.pdf, download_name=f"{issue.publication.slug}-{issue.number}.pdf")


@require_GET
def article_detail(request, slug: str):
    try:
        article = selectors.article_published(slug=slug)
    except Article.DoesNotExist:
        raise Http404 from None
    return render(request, "publications/article_detail.html", {
        "article": article, "can_read": selectors.can_read_body(user=request.user, article=article),
    })


@require_GET
def research_list(request):
    topics = list(_topics())
    topic = request.GET.get("topic", "")
    if topic and topic not in {t.code for t in topics}:
        topic = ""
    return render(request, "publications/research_list.html", {
        "research": selectors.research_by_topic(topic_code=topic), "topics": topics, "topic": topic,
    })


@require_GET
def search(request):
    form = SearchForm(request.GET or None)
    results = []
    if form.is_valid():
        results = selectors.search(text=form.cleaned_data["q"], language=translation.get_language() or "en")
    response = render(request, "publications/search_results.html", {
        "form": form, "results": results, "query": form.cleaned_data.get("q", "") if form.is_valid() else "",
    })
    response["X-Robots-Tag"] = "noindex"
    return response


# Newsletter -----------------------------------------------------------------------------------------------


def _subscribe_rate_limited(request) -> bool:
    try:
        return is_ratelimited(request, group="publications.subscribe", key="ip",
                              rate=settings.PUBLICATIONS_SUBSCRIBE_RATE, increment=True)
    except (RedisError, OSError):
        logger.warning("Rate limiting is unavailable (Redis); accepting the subscription", exc_info=True)
        return False


@require_http_methods(["GET", "POST"])
def newsletter_subscribe(request):
    form = SubscribeForm(request.POST or None, topics=_topics())
    if request.method == "POST":
        if _subscribe_rate_limited(request):
            return render(request, "publications/newsletter_rate_limited.html", status=429)
        if form.is_valid():
            services.subscriber_subscribe(
                email=form.cleaned_data["email"], topics=form.cleaned_data["topics"],
                language=translation.get_language() or settings.LANGUAGE_CODE, source="newsletter form",
            )
            return redirect("publications:newsletter_pending")
    return render(request, "publications/newsletter_subscribe.html", {"form": form})


@require_GET
def newsletter_pending(request):
    return render(request, "publications/newsletter_pending.html")


@require_http_methods(["GET", "POST"])
def newsletter_confirm(request, token: str):
    subscriber_id = confirm_token_read(token)
    if subscriber_id is None or not Subscriber.objects.filter(pk=subscriber_id).exists():
        return render(request, "publications/newsletter_link_invalid.html", status=404)
    # A mail scanner that follows the link must not subscribe anyone: confirming takes a button (POST).
    if request.method == "POST":
        services.subscriber_confirm(subscriber_id=subscriber_id, source="confirmation link")
        return redirect("publications:newsletter_manage", token=services.manage_token(subscriber_id))
    return render(request, "publications/newsletter_confirm.html")


def _subscriber_from(token: str) -> Subscriber:
    subscriber_id = manage_token_read(token)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first() if subscriber_id else None
    if subscriber is None:
        raise Http404
    return subscriber


@require_http_methods(["GET", "POST"])
def newsletter_manage(request, token: str):
    subscriber = _subscriber_from(token)
    form = TopicsForm(request.POST or None, instance=subscriber, topics=_topics())
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("publications:newsletter_manage", token=token)
    response = render(request, "publications/newsletter_manage.html", {
        "subscriber": subscriber, "form": form, "token": token,
        "export": services.subscriber_export(subscriber=subscriber),
    })
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def newsletter_export(request, token: str):
    subscriber = _subscriber_from(token)
    response = HttpResponse(json.dumps(services.subscriber_export(subscriber=subscriber), indent=2,
                                       ensure_ascii=False), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ipma-newsletter-subscription.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" with no cookie or CSRF token
@require_http_methods(["GET", "POST"])
def newsletter_unsubscribe(request, token: str):
    subscriber = _subscriber_from(token)
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        services.subscriber_unsubscribe(subscriber_id=subscriber.pk,
                                        source="one-click (RFC 8058)" if one_click else "unsubscribe page")
        if one_click:
            return HttpResponse(status=200)
        return _token_page(render(request, "publications/newsletter_unsubscribed.html", {"token": token}))
    return _token_page(render(request, "publications/newsletter_unsubscribe.html", {"subscriber": subscriber}))


def _token_page(response: HttpResponse) -> HttpResponse:
    """A page reached through a mailed link names the subscriber: no shared cache keeps it, no search engine lists it."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
