"""Real servers that tests start on loopback: free ports, waiting for one to answer.

TEST_PORT_RANGE (for example `18100-18199`) keeps the ports a test run takes inside a
range, for machines where several runs share the loopback; otherwise the system picks.
"""

import contextlib
import os
import socket
import subprocess
import time


def free_port(exclude=()):
    """A loopback TCP port nothing listens on now, and not one of `exclude` (ports handed
    out already, that nothing listens on yet either)."""
    low, _, high = os.environ.get("TEST_PORT_RANGE", "").partition("-")
    candidates = range(int(low), int(high) + 1) if low and high else [0] * 100
    for port in candidates:
        if port in exclude:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            found = s.getsockname()[1]
        if found not in exclude:
            return found
    raise RuntimeError(f"no free port (TEST_PORT_RANGE={os.environ.get('TEST_PORT_RANGE', '')})")


def answers(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def wait_for_port(port, *, process=None, seconds=30, what="server"):
    """Wait until something accepts connections on `port`; fail early if `process` exits."""
    deadline = time.monotonic() + seconds
    while not answers(port):
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} does not answer on 127.0.0.1:{port} after {seconds} s")
        time.sleep(0.1)


def stop(process, *, seconds=10):
    """Stop a child started with start_new_session=True, and everything in its group.

    SIGTERM first (a clean shutdown), SIGKILL for whatever is left after `seconds`.
    """
    for sig in (15, 9):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(seconds)
