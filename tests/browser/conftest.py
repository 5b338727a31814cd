"""Browser journeys in Debian's Chromium through Playwright; never a downloaded browser.

Locally without Chromium these tests skip with the reason; under CI (CI=true) a missing browser fails.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session", autouse=True)
def _chromium_present():
    if CHROMIUM:
        return
    if os.environ.get("CI"):
        pytest.fail("Chromium is missing under CI: .ci/run installs Debian's chromium")
    pytest.skip("Debian's chromium is not installed (apt install chromium)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _public_pages_kept(settings):
    """The journeys see the public pages as production serves them: kept for visitors not signed in."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60


@pytest.fixture(autouse=True)
def _dashboards_kept(settings):
    """And the dashboard's panels kept per person, so that every journey checks they follow each change."""
    from django.core.cache import caches

    settings.DASHBOARD_CACHE_SECONDS = 120
    caches["dashboard"].clear()  # a person of an earlier run may have had the same primary key


@pytest.fixture
def page(page, live_server):
    page.set_default_timeout(15_000)
    return page


def axe_violations(page, *, rules: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")) -> list:
    """axe-core's WCAG 2.2 AA violations on the page as it is now (axe-core ships with axe-playwright-python)."""
    from axe_playwright_python.sync_playwright import Axe

    # Only the violations in full: the passes and the rules that do not apply would come back node by node
    # (axe's default, which an options argument replaces), a large answer on every page for nothing.
    options = {"runOnly": {"type": "tag", "values": list(rules)}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    return results.response["violations"]


def assert_accessible(page) -> None:
    """0 WCAG 2.2 AA violations, and the page fits a 1280 px window without sideways scrolling."""
    violations = axe_violations(page)
    assert not violations, "\n".join(
        f'{v["id"]} ({v["impact"]}): {node["target"]} {" ".join(node.get("failureSummary", "").split())[:300]}'
        for v in violations for node in v["nodes"][:5]
    )
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"


@pytest.fixture
def superuser_signed_in(page, live_server):
    """A superuser's session (two-factor passed) in the browser, 1280 px wide."""
    from django.test import Client

    from tests.factories import ReviewerFactory

    superuser = ReviewerFactory(is_superuser=True, full_name="Site Admin")
    client = Client()
    client.force_login(superuser)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    return superuser
