import pytest

from .servers import RedisServer


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of this test alone (its own port, its own directory)."""
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()


@pytest.fixture
def private_redis(redis_server, settings, monkeypatch):
    """Cache and broker of the test process (and of workers it starts) on the test's own Redis."""
    from safecommunity.celery import app

    base = redis_server.url.rsplit("/", 1)[0]
    settings.CACHES = {
        "default": {
            "BACKEND": "safecommunity.cache.ResilientRedisCache",
            "LOCATION": f"{base}/1",
            "KEY_PREFIX": "fault",
        }
    }
    settings.REDIS_URL = redis_server.url
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    saved = app.conf.broker_url
    app.conf.broker_url = redis_server.url
    app._pool = None
    app.amqp._producer_pool = None
    yield redis_server
    app.conf.broker_url = saved
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def postgres_server():
    """A PostgreSQL server of this test alone (own cluster, own port); removed afterwards."""
    from .servers import PostgresServer

    server = PostgresServer().start()
    yield server
    server.stop()
