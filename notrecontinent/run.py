"""`make run`: the site's three processes from one command, stopped together by Ctrl-C.

- web: gunicorn with notrecontinent/gunicorn.py, on 127.0.0.1:$PORT;
- worker: `manage.py db_worker`, which runs the queued tasks (every e-mail, the periodic jobs);
- scheduler: `manage.py crontask --no-heartbeat`, which queues the periodic jobs on time.

A worker or scheduler that stops by itself (its database restarted, say: db_worker then
exits) is started again after a pause that grows to 30 s; the web server stopping stops
everything. Ctrl-C (or SIGTERM) asks each to stop as it does on a deploy: gunicorn
finishes its requests, the worker its task; what is still there after STOP_SECONDS is
killed. In production each process is a service of its own (README, "Mise en production").

Honcho or foreman would start the same three lines, but stop them all as soon as one
exits; this restarts the worker instead, and is the few lines below.
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STOP_SECONDS = 30
RESTART_MAX_DELAY = 30


def commands(port):
    manage = [sys.executable, str(ROOT / "manage.py")]
    return {
        "web": [
            str(BIN / "gunicorn"),
            "notrecontinent.wsgi",
            "--config",
            str(ROOT / "notrecontinent" / "gunicorn.py"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        "worker": [*manage, "db_worker", "--no-reload"],
        "scheduler": [*manage, "crontask", "--no-heartbeat"],
    }


def _die_with_parent():
    # Linux: a child gets SIGTERM if this supervisor is killed outright (SIGKILL).
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def say(text):
    print(f"[make run] {text}", file=sys.stderr, flush=True)


class Supervisor:
    def __init__(self, commands):
        self.commands = commands
        self.processes = {}
        self.failures = dict.fromkeys(commands, 0)
        self.restart_at = {}
        self.stopping = False

    def start(self, name):
        # Their own process group: Ctrl-C reaches this supervisor only, which stops them
        # in order (a terminal's SIGINT would make gunicorn drop its requests).
        self.processes[name] = subprocess.Popen(
            self.commands[name], cwd=ROOT, start_new_session=True, preexec_fn=_die_with_parent
        )
        self.restart_at.pop(name, None)

    def request_stop(self, signum, frame):
        if not self.stopping:
            say("arrêt demandé : le site, le worker et le planificateur s'arrêtent…")
        self.stopping = True

    def run(self):
        signal.signal(signal.SIGINT, self.request_stop)
        signal.signal(signal.SIGTERM, self.request_stop)
        for name in self.commands:
            self.start(name)
        code = 0
        while not self.stopping:
            time.sleep(0.2)
            for name, process in list(self.processes.items()):
                if name in self.restart_at:
                    if time.monotonic() >= self.restart_at[name]:
                        self.start(name)
                    continue
                returned = process.poll()
                if returned is None:
                    continue
                if name == "web":
                    say(f"gunicorn s'est arrêté (code {returned}) : tout s'arrête.")
                    self.stopping, code = True, returned or 1
                    break
                self.failures[name] += 1
                delay = min(2 ** self.failures[name], RESTART_MAX_DELAY)
                say(f"{name} s'est arrêté (code {returned}) : relancé dans {delay} s.")
                self.restart_at[name] = time.monotonic() + delay
        self.stop_all()
        return code

    def stop_all(self):
        running = [p for p in self.processes.values() if p.poll() is None]
        for process in running:
            _signal(process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for process in running:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0))
            except subprocess.TimeoutExpired:
                _signal(process, signal.SIGKILL)
                process.wait()


def _signal(process, signum):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def main():
    return Supervisor(commands(os.environ.get("PORT", "8000"))).run()


if __name__ == "__main__":
    sys.exit(main())
