"""Fails with a clear message when the PostgreSQL or Redis the tests need does not answer."""

import sys

import psycopg2
import redis


def main(database_url: str, redis_url: str) -> int:
    problems = []
    if database_url.startswith("postgres"):
        dsn = database_url.rsplit("/", 1)[0] + "/postgres"
        try:
            psycopg2.connect(dsn, connect_timeout=5).close()
        except psycopg2.Error as exc:
            problems.append(
                f"PostgreSQL at {dsn} does not answer ({exc.__class__.__name__}). Start it, e.g. "
                "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
            )
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
    except redis.RedisError as exc:
        problems.append(
            f"Redis at {redis_url} does not answer ({exc.__class__.__name__}). Start it, e.g. "
            "redis-server --daemonize yes --port 6379"
        )
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
