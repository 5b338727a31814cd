"""What an operator relies on: production settings that pass `check --deploy` and refuse unsafe
configurations, the security headers, the health check, the error pages and local static files."""

import os
import secrets
import socket
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py with production settings and exactly the variables given (plus PATH etc.)."""
    environment = {
        name: value for name, value in os.environ.items()
        if name not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "IPMA_EMBEDDED_SERVICES",
                        "MFA_ENCRYPTION_KEY"}
        and not name.startswith(("DJANGO_", "SECURE_", "PAYMENTS_"))
    }
    environment.update(DJANGO_SETTINGS_MODULE="ipma_portal.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=environment,
        capture_output=True, text=True, timeout=120,
    )


def _production_env(**overrides: str) -> dict[str, str]:
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "MFA_ENCRYPTION_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.example.org",
        "DATABASE_URL": settings.DATABASE_URL,
        "REDIS_URL": settings.REDIS_URL,
        **overrides,
    }


def test_production_settings_pass_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def _parallel_workers(**env: str) -> str:
    code = ("from django.db import connection\n"
            "with connection.cursor() as cursor:\n"
            "    cursor.execute('SHOW max_parallel_workers_per_gather')\n"
            "    print('workers', cursor.fetchone()[0])")
    result = _manage("shell", "-c", code, **_production_env(**env))
    assert result.returncode == 0, result.stderr
    return result.stdout.split("workers ")[-1].strip()


def test_production_connections_start_no_parallel_workers_by_default():
    assert _parallel_workers() == "0"


def test_production_parallel_workers_are_left_to_the_server_when_the_option_is_empty():
    with connection.cursor() as cursor:
        cursor.execute("SELECT boot_val FROM pg_settings WHERE name = 'max_parallel_workers_per_gather'")
        servers_own = cursor.fetchone()[0]

    assert _parallel_workers(DATABASE_MAX_PARALLEL_WORKERS_PER_GATHER="") == servers_own


def test_production_refuses_to_start_without_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]

    result = _manage("check", **env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("variable", ["DATABASE_URL", "REDIS_URL"])
def test_production_refuses_to_start_without_a_service_url(variable):
    env = _production_env()
    del env[variable]

    result = _manage("check", **env)

    assert result.returncode != 0
    assert f"{variable} is not set" in result.stderr


def test_production_refuses_the_embedded_services_switch():
    result = _manage("check", **_production_env(IPMA_EMBEDDED_SERVICES="true"))

    assert result.returncode != 0
    assert "IPMA_EMBEDDED_SERVICES must be off in production" in result.stderr


def test_production_refuses_to_start_with_debug_on():
    result = _manage("check", **_production_env(DEBUG="true"))

    assert result.returncode != 0
    assert "DEBUG must be off in production" in result.stderr


def _directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


class _Tags(HTMLParser):
    """The <script> and <link> tags of a page, and whether each inline script has a body."""

    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.links: list[dict] = []
        self._in_script: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._in_script = {**dict(attrs), "body": ""}
            self.scripts.append(self._in_script)
        elif tag == "link":
            self.links.append(dict(attrs))

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script["body"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def _tags(response) -> _Tags:
    parser = _Tags()
    parser.feed(response.content.decode())
    return parser


def test_home_page_csp_allows_no_inline_script(client):
    response = client.get(reverse("home"))

    directives = _directives(response["Content-Security-Policy"])
    script_sources = directives.get("script-src", directives["default-src"])
    assert script_sources == ["'self'"]
    assert "'unsafe-inline'" not in directives.get("style-src", directives["default-src"])
    assert directives["object-src"] == ["'none'"]
    # The page itself keeps to the policy: every script is a file, none is inline.
    scripts = _tags(response).scripts
    assert scripts
    assert all(script.get("src") and not script["body"].strip() for script in scripts)


def test_healthz_ok_when_database_and_redis_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok"}


def test_healthz_503_naming_redis_when_redis_is_unreachable(client, settings):
    # A port bound but not listening refuses connections for as long as this test holds it.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        settings.REDIS_URL = f"redis://127.0.0.1:{closed.getsockname()[1]}/0"

        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "unavailable"}


def test_unknown_page_renders_portal_404_template(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    used = [template.name for template in response.templates]
    assert "404.html" in used
    assert "base.html" in used
    assert reverse("home") in response.content.decode()


def test_bootstrap_served_locally_not_from_a_cdn(client, settings):
    # Production serves the collected copy from STATIC_ROOT; here WhiteNoise finds the same files
    # where collectstatic would (django-bootstrap-static's package folder).
    settings.WHITENOISE_USE_FINDERS = True
    tags = _tags(client.get(reverse("home")))
    urls = [link["href"] for link in tags.links if link.get("href")] + [s["src"] for s in tags.scripts]

    assert not [url for url in urls if url.startswith(("http:", "https:", "//"))]
    bootstrap = [url for url in urls if "bootstrap" in url]
    assert any(url.endswith(".css") for url in bootstrap)
    assert any(url.endswith(".js") for url in bootstrap)
    for url in bootstrap:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Bootstrap" in b"".join(response.streaming_content)[:2000], url
