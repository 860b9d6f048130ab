"""How the apps' services queue background work, and the site's own periodic housekeeping.

The periodic jobs of every app are declared beside their task with django-crontask's
`@cron` (crontab syntax, in the site's time zone); `manage.py crontask` queues each one
when its time comes, and the worker runs it like any other task.
"""

from functools import partial

from crontask import cron
from django.core.management import call_command
from django.db import transaction
from django.tasks import task
from django_tasks_db.backend import DatabaseBackend

from . import mail

# How long the queue keeps finished tasks: a sent message's row holds its text (links with
# keys), so it goes soon; a failure stays for the operators to read.
KEEP_SUCCESSFUL_DAYS = 3
KEEP_FAILED_DAYS = 30


def enqueue_on_commit(task, *args):
    """Queue `task` with `args` (JSON-serialisable) for when the current transaction commits.

    With the database queue (django-tasks-db, the default) the task's row is written in
    the transaction itself: the worker sees it only once the change is committed, and a
    rolled-back change queues nothing. Another backend (the immediate one in tests) is
    called once the transaction commits; robust: a queue that is down then costs the
    task (logged), not the person's request.
    """
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(partial(task.enqueue, *args), robust=True)


@cron("*/10 * * * *")
@task
def requeue_lost_deliveries():
    return mail.requeue_lost_deliveries()


@cron("40 3 * * *")
@task
def prune_task_results():
    call_command(
        "prune_db_task_results",
        queue_name="*",
        min_age_days=KEEP_SUCCESSFUL_DAYS,
        failed_min_age_days=KEEP_FAILED_DAYS,
        verbosity=0,
    )
