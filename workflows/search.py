"""The committee lists' search: word starts through PostgreSQL full-text search, and reference numbers.

Django's admin search asked ``UPPER(column) LIKE '%term%'`` of every searched column, OR-ed across the joined
50,000-row user table: a scan of the table per question (issue 17). Here each word of the term is a prefix
(``word:*``) AND-ed in one ``tsquery`` over a stored ``search_vector`` with a GIN index, and a word that looks
like a reference number ("IPMA-2026-0001", "A2026-000042", a booking's id) matches the number column exactly or
by its start, which a ``varchar_pattern_ops`` index serves. Arbitrary substrings are no longer found.

Text vectors are built with the "simple" configuration (no stemming, no stop words: names are not English).
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CONFIG = "simple"
SEARCH_HELP = _("Words from the person's name or email (word starts), or a reference number.")

# What a word of the term may hold: letters, digits, "_" and the characters of an email or a number. Anything
# else separates words, so no tsquery syntax (' & | ! : * ( ) <->) ever reaches PostgreSQL.
_WORD = re.compile(r"\w+(?:[@.\-]\w+)*[@.\-]?")
# Longer than any searched column (an email is at most 254 characters): such a word matches nothing.
_LONGEST_WORD = 254
_MOST_WORDS = 10
# The reference numbers the portal prints, or a start of one: "IPMA-..." (invoices, certificates), "A2026-..."
# (applications), "PA2026-..." (partner applications), digits alone (an id).
_NUMBER = re.compile(r"IPMA(?:-[A-Z0-9-]*)?|P?A\d[\d-]*|\d+")
# A payment provider's id ("pi_3Nx...").
_PROVIDER_ID = re.compile(r"[a-z]{2,4}_\w+", re.IGNORECASE)


def vector(*columns: str) -> SearchVector:
    """The stored vector of a model's own text columns (the ``GeneratedField`` expression)."""
    return SearchVector(*columns, config=CONFIG)


def search_words(term: str) -> list[str] | None:
    """The words of a search term as typed; None when the term cannot match anything."""
    words = _WORD.findall(term)
    if not words or len(words) > _MOST_WORDS or any(len(word) > _LONGEST_WORD for word in words):
        return None
    return words


def is_number(word: str) -> bool:
    """Whether a word of the term is (the start of) a reference number rather than a name or an email."""
    return _NUMBER.fullmatch(word.upper()) is not None


def is_provider_id(word: str) -> bool:
    """Whether a word of the term is (the start of) a payment provider's id."""
    return _PROVIDER_ID.fullmatch(word) is not None


def prefix_query(words: list[str]) -> SearchQuery:
    """Every word as a prefix, all required: ``'ann':* & 'okafor':*``.

    The words hold letters, digits and ``@.-`` only (``search_words``); each is quoted as a tsquery lexeme so
    that PostgreSQL's parser splits it as it split the indexed text ("o.okafor@example.org", "smith-jones").
    """
    return SearchQuery(" & ".join(f"'{word}':*" for word in words), search_type="raw", config=CONFIG)


def number_match(model: type[models.Model], column: str, word: str) -> Q | None:
    """The rows whose ``column`` is ``word`` or starts with it; None when the word cannot be one of them.

    Numbers are printed in capitals, a provider's ids as they come: both spellings are asked (two index scans).
    """
    field = model._meta.get_field(column)
    if isinstance(field, models.IntegerField | models.AutoField):
        return Q(**{column: int(word)}) if word.isdigit() and len(word) < 19 else None
    if word.isdigit():  # the tail of a number is not its start
        return None
    match = Q(**{f"{column}__startswith": word})
    return match if word == word.upper() else match | Q(**{f"{column}__startswith": word.upper()})
