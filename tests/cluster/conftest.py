"""The production rehearsal (`make cluster-test`): one cluster for the whole run."""

import pytest

from .harness import Cluster

FIGURES = {}


@pytest.fixture(autouse=True)
def _isolated():
    """The rehearsal's tests talk to their own servers over HTTP: nothing of this process's
    Django (settings, cache) is theirs to reset."""
    yield


@pytest.fixture(scope="session")
def cluster():
    with Cluster() as running:
        running.figures = FIGURES
        yield running


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("make cluster-test : mesures")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name} : {value}")
