"""How the apps' services queue background work (the e-mails of articles and comments)."""

from functools import partial

from django.db import transaction


def enqueue_on_commit(task, *args):
    """Enqueue `task` with `args` (JSON-serialisable) once the current transaction commits.

    A worker must find the change committed, and a rolled-back change queues nothing.
    robust: the change is committed by then, so a queue that is down costs the e-mail
    (logged), not the person's request.
    """
    transaction.on_commit(partial(task.enqueue, *args), robust=True)
