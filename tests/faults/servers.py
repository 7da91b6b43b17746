"""Services of a test's own: a redis-server on a free port in the test's tmp_path, which the test
may stop and start again (the machine's shared Redis and PostgreSQL are never touched)."""

import socket
import subprocess
import time
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, directory: Path, port: int | None = None):
        self.directory, self.port = directory, port or free_port()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
                "--logfile",
                str(self.directory / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        pytest.fail(f"redis-server on port {self.port} did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None


def postgres_bin_dir() -> Path:
    """The newest PostgreSQL server binaries on the machine (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if not found:
        pytest.fail("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (Debian's postgresql package)")
    return found[-1].parent


class PostgresServer:
    """A PostgreSQL cluster of the test alone: initdb into a fresh directory, served on a free port
    with its socket in that directory, trust authentication for ``postgres``, fsync off. Run as the
    ``postgres`` system user when the tests run as root (the server refuses to run as root)."""

    def __init__(self, port: int | None = None):
        import os
        import tempfile

        self.bin = postgres_bin_dir()
        self.port = port or free_port()
        # Not under pytest's tmp_path: the server's user must be able to reach the directory.
        self.directory = Path(tempfile.mkdtemp(prefix="sc-test-pg-"))
        self.data, self.log = self.directory / "data", self.directory / "server.log"
        self._as = []
        if os.geteuid() == 0:
            import shutil

            shutil.chown(self.directory, "postgres", "postgres")
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *cmd, timeout=120):
        result = subprocess.run([*self._as, *cmd], capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            pytest.fail(f"{' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}\n{log[-2000:]}")
        return result

    def start(self):
        if not self.data.exists():
            self._run(
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
            )
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )
        return self

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def psql(self, sql: str):
        return self._run(
            str(self.bin / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-Atc",
            sql,
        )

    def stop(self):
        import shutil

        if self.data.exists():
            subprocess.run(
                [*self._as, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(self.directory, ignore_errors=True)
