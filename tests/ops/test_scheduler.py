"""Periodic jobs run on a schedule without anyone's crontab: `manage.py crontask` holds each
job's trigger and queues the task when its time comes; the real worker runs it."""

import datetime
import email
import io

import pytest
from crontask import scheduler
from crontask.management.commands.crontask import Command as CrontaskCommand
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import DailyViews, Readership
from comments.models import Comment
from reports.models import Report
from tests.factories import ArticleFactory, CommentFactory, ModeratorFactory

from .conftest import DATABASE_QUEUE

# The job, when it runs (crontab, site time: Africa/Dakar), and its task.
SCHEDULE = {
    "refresh_readership": ("2 0 * * *", "articles.tasks.refresh_readership"),
    "flush_buffered_views": ("*/5 * * * *", "articles.tasks.flush_buffered_views"),
    "purge_comment_metadata": ("15 3 * * *", "comments.tasks.purge_comment_metadata"),
    "purge_report_metadata": ("20 3 * * *", "reports.tasks.purge_report_metadata"),
    "send_moderation_digest": ("0 7 * * *", "reports.tasks.send_moderation_digest"),
    "requeue_lost_deliveries": ("*/10 * * * *", "notrecontinent.tasks.requeue_lost_deliveries"),
    "prune_task_results": ("40 3 * * *", "notrecontinent.tasks.prune_task_results"),
}


def jobs():
    """The jobs `manage.py crontask` schedules, after loading the apps' tasks as it does."""
    CrontaskCommand(stdout=io.StringIO()).load_tasks({})
    return {job.name: job for job in scheduler.get_jobs()}


def next_runs(job, start, count):
    moments, moment = [], start
    for _ in range(count):
        moment = job.trigger.get_next_fire_time(None, moment + datetime.timedelta(seconds=1))
        moments.append(moment)
    return moments


def test_each_job_is_scheduled_at_its_time_in_the_site_time_zone():
    assert set(jobs()) == set(SCHEDULE)
    tz = timezone.get_default_timezone()
    start = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=tz)
    for name, (crontab, task_path) in SCHEDULE.items():
        job = jobs()[name]
        assert job.func.__self__.module_path == task_path
        minute, hour, *_ = crontab.split()
        runs = next_runs(job, start, 3)
        if hour == "*":  # every few minutes
            step = int(minute.removeprefix("*/"))
            assert [r.minute for r in runs] == [step, 2 * step, 3 * step]
        else:
            assert [(r.day, r.hour, r.minute) for r in runs] == [
                (day, int(hour), int(minute)) for day in (11, 12, 13)
            ]
        assert all(r.tzinfo == tz for r in runs)


@pytest.mark.django_db(transaction=True)
def test_each_job_queued_by_the_scheduler_runs_in_the_worker(
    settings, smtp_server, worker, time_machine
):
    settings.TASKS = DATABASE_QUEUE
    smtp_server.start()
    now = timezone.now()
    # What each job has to do: aged views, old commenters' and reporters' addresses, a
    # comment waiting for the moderators, an old finished task.
    read = ArticleFactory()
    time_machine.move_to(now - datetime.timedelta(days=7))
    DailyViews.add(read.pk, count=5)
    old_comment = CommentFactory(ip_address="203.0.113.9", user_agent="Navigateur")
    old_report = Report.objects.create(
        article=read, reason=Report.Reason.SPAM, ip_address="203.0.113.10"
    )
    time_machine.move_to(now - datetime.timedelta(days=91))
    Comment.objects.filter(pk=old_comment.pk).update(created_at=timezone.now())
    Report.objects.filter(pk=old_report.pk).update(created_at=timezone.now())
    old_task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="notrecontinent.tasks.requeue_lost_deliveries",
        backend_name="default",
        status="SUCCESSFUL",
        finished_at=timezone.now(),
    )
    time_machine.move_to(now)
    recent_comment = CommentFactory(
        status=Comment.Status.PENDING, ip_address="203.0.113.11", user_agent="Navigateur"
    )
    ModeratorFactory(email="moderatrice@example.org")
    assert Readership.objects.get(article=read).recent_views == 5

    # What the scheduler does at each job's time: queue its task.
    for job in jobs().values():
        job.func()
    worker()

    scheduled = DBTaskResult.objects.filter(task_path__in=[path for _, path in SCHEDULE.values()])
    assert sorted((row.task_path, row.status) for row in scheduled) == sorted(
        (path, "SUCCESSFUL") for _, path in SCHEDULE.values()
    )
    assert Readership.objects.get(article=read).recent_views == 0  # out of the 7 days
    old_comment.refresh_from_db()
    assert (old_comment.ip_address, old_comment.user_agent) == (None, "")
    recent_comment.refresh_from_db()
    assert recent_comment.ip_address == "203.0.113.11"
    old_report.refresh_from_db()
    assert old_report.ip_address is None
    assert not DBTaskResult.objects.filter(pk=old_task.pk).exists()
    (digest,) = smtp_server.mailbox.envelopes
    assert digest.rcpt_tos == ["moderatrice@example.org"]
    assert "1 commentaire en attente" in email.message_from_bytes(digest.content)["Subject"]
