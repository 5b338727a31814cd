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


@pytest.fixture
def page(page, live_server):
    page.set_default_timeout(15_000)
    return page
