"""Issue 13: X-Forwarded-Proto (and X-Forwarded-For) are believed only from the proxies of
DJANGO_TRUSTED_PROXY_IPS (OWASP ASVS 9.1.1, 14.5.1)."""

import pytest
from django.conf import settings as django_settings

from safecommunity.security import TrustedProxyHeadersMiddleware, client_ip, is_trusted_proxy


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_IPS = ["10.0.0.5", "172.18.0.0/16"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    return settings


def test_the_header_filter_runs_before_security_middleware():
    assert django_settings.MIDDLEWARE[0] == "safecommunity.security.TrustedProxyHeadersMiddleware"
    assert django_settings.MIDDLEWARE[1] == "django.middleware.security.SecurityMiddleware"


def test_a_client_claiming_https_is_still_redirected_to_https(client, db, behind_proxy):
    response = client.get("/accounts/login/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301 and response["Location"].startswith("https://")


@pytest.mark.parametrize("proxy", ["10.0.0.5", "172.18.3.4"])
def test_the_trusted_proxy_is_believed(client, db, behind_proxy, proxy):
    response = client.get("/accounts/login/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


def test_the_middleware_drops_forwarded_headers_from_untrusted_clients(rf, behind_proxy):
    seen = {}

    def view(request):
        seen.update(secure=request.is_secure(), meta=dict(request.META))
        return None

    middleware = TrustedProxyHeadersMiddleware(view)
    middleware(
        rf.get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_HOST="evil.example")
    )
    assert seen["secure"] is False
    assert "HTTP_X_FORWARDED_PROTO" not in seen["meta"] and "HTTP_X_FORWARDED_HOST" not in seen["meta"]
    middleware(rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_PROTO="https"))
    assert seen["secure"] is True


def test_forwarded_for_follows_the_same_trust_list(rf, behind_proxy):
    assert client_ip(rf.get("/", REMOTE_ADDR="172.18.9.9", HTTP_X_FORWARDED_FOR="198.51.100.4")) == "198.51.100.4"
    assert client_ip(rf.get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.4")) == "203.0.113.7"


def test_nothing_is_trusted_by_default_or_for_garbage(settings):
    settings.TRUSTED_PROXY_IPS = []
    assert not is_trusted_proxy("10.0.0.5")
    settings.TRUSTED_PROXY_IPS = ["not-a-network", "10.0.0.5"]
    assert not is_trusted_proxy("not-an-ip") and is_trusted_proxy("10.0.0.5")
