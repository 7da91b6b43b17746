import pytest

from .servers import RedisServer


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of this test alone (its own port, its own directory)."""
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()
