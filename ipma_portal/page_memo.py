"""Reads shared by the parts of one read-only page, computed once for that page.

The dashboard is assembled from panels that different apps contribute, and several of them need the
same facts (the eligibility facts of each level: hours, ethics, training, exams). A view that only
reads wraps its work in ``page_memo()``; inside it ``memoized(key, compute)`` computes each key once.
Outside such a block ``memoized`` simply computes, so a service that writes never sees a stale value.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Iterator
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("page_memo", default=None)


@contextlib.contextmanager
def page_memo() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memo_active() -> bool:
    return _memo.get() is not None


def memoized(key: Hashable, compute: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
