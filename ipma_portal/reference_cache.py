"""Reference data kept in each process's memory, with a version in the shared cache that every process checks.

Levels, fees, curriculum topics, the header's menus and the lists of choices of the public filters are
read on almost every request and change a few times a year. ``ReferenceData`` builds such a value once
per process and keeps it until its version in the ``reference`` cache (Redis) changes; saving or deleting
a row of one of the models it names bumps that version (when the transaction commits, and at once for
this process), so every process rebuilds on its next read. Reading costs at most one Redis GET every
``REFERENCE_CACHE_CHECK_SECONDS``; with Redis away each read rebuilds from the database (never stale,
only slower).

    levels = ReferenceData("levels", models=["accreditation.Level"],
                           build=lambda: list(Level.objects.order_by("rank")))
    levels.get()
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from ipma_portal import table_versions

T = TypeVar("T")

CACHE_ALIAS = "reference"
_registry: dict[str, ReferenceData] = {}


class ReferenceData(Generic[T]):
    """A value built from the database, kept per process and per ``key`` until one of ``models`` changes."""

    def __init__(self, name: str, *, models: Iterable[str], build: Callable[..., T], on_every_page: bool = False):
        if name in _registry:
            raise ValueError(f"reference data {name!r} is declared twice")
        self.name = name
        # Shown by the base layout (the header's menus): part of every public page's ETag.
        self.on_every_page = on_every_page
        self.build = build
        self._values: dict[Hashable, tuple[str, T]] = {}
        self._version: str | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()
        _registry[name] = self
        for model in models:
            # Lazy senders ("app_label.Model"): connected once the model is loaded.
            post_save.connect(self._changed, sender=model, weak=False, dispatch_uid=f"reference:{name}:{model}:save")
            post_delete.connect(self._changed, sender=model, weak=False,
                                dispatch_uid=f"reference:{name}:{model}:delete")
        m2m_changed.connect(self._m2m_changed, weak=False, dispatch_uid=f"reference:{name}:m2m")
        self._models = {model.lower() for model in models}
        self._table_names: list[str] | None = None

    def _tables(self) -> list[str]:
        if self._table_names is None:
            self._table_names = [apps.get_model(label)._meta.db_table for label in self._models]
        return self._table_names

    @property
    def version_key(self) -> str:
        return f"reference:{self.name}:version"

    def get(self, key: Hashable = None, *args) -> T:
        """The value for ``key`` (passed with ``args`` to ``build``), built again when its data changed."""
        table_versions.note_read(self._tables())
        version = self.version()
        kept = self._values.get(key)
        if version is not None and kept is not None and kept[0] == version:
            return kept[1]
        value = self.build(*args) if key is None else self.build(key, *args)
        if version is not None:  # without the shared cache nothing is kept: it could not be invalidated
            with self._lock:
                self._values[key] = (version, value)
        return value

    def version(self) -> str | None:
        """The current version in the shared cache (None while Redis is away): a cheap "last changed".

        Asked of Redis at most every ``REFERENCE_CACHE_CHECK_SECONDS`` per process: a change made in another
        process shows here within that time; one made in this process shows at once.
        """
        now = time.monotonic()
        if self._version is not None and now - self._checked_at < settings.REFERENCE_CACHE_CHECK_SECONDS:
            return self._version
        cache = caches[CACHE_ALIAS]
        version = cache.get(self.version_key)
        if version is None:
            cache.add(self.version_key, secrets.token_hex(8), timeout=None)
            version = cache.get(self.version_key)
        self._version, self._checked_at = version, now
        return version

    def invalidate(self) -> None:
        """Forget the value here at once, and everywhere once the current transaction commits."""
        self._bump()
        transaction.on_commit(self._bump)

    def _bump(self) -> None:
        self._values.clear()
        self._version = None
        caches[CACHE_ALIAS].set(self.version_key, secrets.token_hex(8), timeout=None)

    def _changed(self, sender, **kwargs) -> None:
        self.invalidate()

    def _m2m_changed(self, sender, action: str, model, **kwargs) -> None:
        if not action.startswith("post_"):
            return
        label = kwargs["instance"]._meta.label_lower
        if label in self._models or model._meta.label_lower in self._models:
            self.invalidate()


def reference_data_on_every_page() -> list[ReferenceData]:
    return [reference for reference in _registry.values() if reference.on_every_page]


def reference_data_reset() -> None:
    """Forget every value in this process and every version (tests: a rolled-back row sends no signal)."""
    cache = caches[CACHE_ALIAS]
    for reference in _registry.values():
        reference._values.clear()
        reference._version = None
        cache.delete(reference.version_key)
