"""What a read costs: the article page (which counts views) against the home page.

Run with `make bench`. In-process requests (no network), demo content, real commits
(a transactional test), so a counted view pays its write as in production. The numbers
that matter are the ratios, measured in one run on one machine:
- article page with a counted view / article page for a repeat visitor: the cost of
  counting (one upsert), which should stay small beside rendering the page;
- article page / home page.
"""

import statistics
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from articles.models import Article

pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=True)]

ROUNDS = 5
REQUESTS = 40
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


def per_second(make_request):
    """Requests per second over ROUNDS rounds; the median round counts."""
    rates = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(REQUESTS):
            make_request()
        rates.append(REQUESTS / (time.perf_counter() - start))
    return statistics.median(rates)


def test_article_page_against_home_page():
    call_command("load_demo", verbosity=0)
    article = Article.objects.published().most_read().first()
    url = article.get_absolute_url()
    visitors = iter(range(10**9))

    def home():
        assert Client(HTTP_USER_AGENT=BROWSER).get("/").status_code == 200

    def counted():
        # A new visitor each time: the view is counted (one upsert, committed).
        ip = next(visitors)
        client = Client(
            HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=f"10.{ip >> 16 & 255}.{ip >> 8 & 255}.{ip & 255}"
        )
        assert client.get(url).status_code == 200

    regular = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="192.0.2.1")

    def repeat():
        # The same visitor within 30 minutes: the page without the write.
        assert regular.get(url).status_code == 200

    for warm_up in (home, counted, repeat):
        for _ in range(10):
            warm_up()

    rates = {"home": per_second(home), "counted": per_second(counted), "repeat": per_second(repeat)}
    counting_cost_ms = 1000 / rates["counted"] - 1000 / rates["repeat"]
    print(
        f"\n[{connection.vendor}] requests per second (median of {ROUNDS}×{REQUESTS}):"
        f"\n  home page                      {rates['home']:8.1f}"
        f"\n  article page, counted view     {rates['counted']:8.1f}"
        f"\n  article page, repeat visitor   {rates['repeat']:8.1f}"
        f"\n  article (counted) / home       {rates['counted'] / rates['home']:8.2f}"
        f"\n  counted / repeat               {rates['counted'] / rates['repeat']:8.2f}"
        f"\n  cost of counting a view        {counting_cost_ms:8.2f} ms"
    )
    # Counting is one cheap write: it must not halve the article page's throughput.
    assert rates["counted"] > 0.5 * rates["repeat"]
