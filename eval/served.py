"""`scrutiny serve` in a process of its own, as users run it, for the benchmarks (and a free
loopback port, which the tests' servers use too)."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(index_path: Path, timeout: float = 300.0) -> Iterator[tuple[str, float]]:
    """`scrutiny serve` on the index in a process of its own, open on loopback (no key file): its
    URL and the seconds from starting it to its first 200 on /health (the index open and counted).
    A client in this process then does not share one interpreter's lock with the server, as it
    would with the server in a thread here. The server is stopped on leaving, killed if it will
    not stop, so it never stays running holding the index."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="scrutiny-served-") as folder:
        env = {**os.environ, "SCRUTINY_KEYS_FILE": str(Path(folder) / "no-keys.json")}
        log_path = Path(folder) / "serve.log"
        command = [sys.executable, "-m", "cli.main", "serve", "--index", str(index_path), "--port", str(port)]
        with open(log_path, "wb") as log:
            started = time.perf_counter()
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
            try:
                ready, last = None, "no answer"
                while ready is None and time.perf_counter() - started < timeout and process.poll() is None:
                    try:
                        status = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code
                        if status == 200:
                            ready = round(time.perf_counter() - started, 2)
                        last = f"HTTP {status}"
                    except httpx.HTTPError as e:
                        last = type(e).__name__
                    if ready is None:
                        time.sleep(0.05)
                if ready is None:
                    tail = log_path.read_text(errors="replace").strip().splitlines()[-5:]
                    raise RuntimeError(
                        f"`scrutiny serve --index {index_path}` was not ready within {timeout:.0f} s (exit code {process.poll()}, "
                        f"last /health: {last}): " + " | ".join(tail)
                    )
                yield f"http://127.0.0.1:{port}", ready
            finally:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
