"""The production rehearsal (`make cluster-test`): one cluster for the whole run."""

import signal

import pytest

from .harness import Cluster

FIGURES = {}


@pytest.fixture(autouse=True)
def _isolated():
    """The rehearsal's tests talk to their own servers over HTTP: nothing of this process's
    Django (settings, cache) is theirs to reset."""
    yield


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.fixture(scope="session")
def cluster():
    # A run stopped by SIGTERM (a CI time limit, `timeout`) still stops every server.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with Cluster() as running:
            running.figures = FIGURES
            yield running
    finally:
        signal.signal(signal.SIGTERM, previous)


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("make cluster-test : mesures")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name} : {value}")
