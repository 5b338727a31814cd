"""The directory's search finds word starts whatever the accents: the GIN indexes hold the words as written ("simple"
configuration, no stemming), folded by ``search_fold``.

``search_fold`` is PostgreSQL's own Unicode normalization: compatibility forms decomposed ("ﬁ" → "fi", full-width
letters), combining accents dropped, the rest composed again (Korean, Japanese kana keep their letters), and the
letters that carry no separable accent spelt out (Ø, Đ, Ł, ß, Æ, Œ...). The ``unaccent`` extension is not used: the
embedded PostgreSQL (pgserver) ships no contrib extension. The function reads only pg_catalog, is immutable and
parallel safe, so expression indexes may use it; the site search of publications folds its text with it too.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

import organizations.models.organization

FOLD = r"""
CREATE FUNCTION search_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
SELECT replace(replace(replace(replace(replace(replace(translate(
    normalize(regexp_replace(normalize($1, NFKD),
                             '[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]', '', 'g'), NFKC),
    'ØøĐđÐðŁłĦħıȷŦŧ', 'OoDdDdLlHhijTt'),
    'ß', 'ss'), 'ẞ', 'SS'), 'Æ', 'AE'), 'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe')
$$
"""


def _search_index(name: str, *columns: str):
    SearchFold = organizations.models.organization.SearchFold
    return django.contrib.postgres.indexes.GinIndex(
        django.contrib.postgres.search.SearchVector(*(SearchFold(models.F(column)) for column in columns),
                                                    config="simple"),
        name=name,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("organizations", "0007_sponsorship_covers_renewals"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="directorylisting", name="organizations_listing_search"),
        migrations.RemoveIndex(model_name="organization", name="organizations_org_search"),
        migrations.RemoveIndex(model_name="programme", name="organizations_programme_search"),
        migrations.RunSQL(FOLD, "DROP FUNCTION search_fold(text)"),
        migrations.AddIndex(
            model_name="directorylisting",
            index=_search_index("organizations_listing_search", "display_name", "headline", "profile", "city"),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=_search_index("organizations_org_search", "legal_name", "city"),
        ),
        migrations.AddIndex(
            model_name="programme",
            index=_search_index("organizations_programme_search", "name", "description"),
        ),
    ]
