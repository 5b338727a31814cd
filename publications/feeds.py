"""An Atom feed per publication; entries carry the abstract only, never a members-only body."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from content.rendering import markdown_render
from publications.models import Publication
from publications.selectors import articles_for_feed


class PublicationFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Publication, slug=slug)

    def title(self, publication):
        return publication.name

    def link(self, publication):
        return publication.get_absolute_url()

    def subtitle(self, publication):
        return _("New articles in %(name)s.") % {"name": publication.name}

    def items(self, publication):
        return articles_for_feed(publication)

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return markdown_render(article.abstract)

    def item_author_name(self, article):
        return ", ".join(author.name for author in article.authors.all()) or None

    def item_pubdate(self, article):
        return timezone.make_aware(datetime.combine(article.issue.published_on, time(0, 0)))

    def item_updateddate(self, article):
        return self.item_pubdate(article)
