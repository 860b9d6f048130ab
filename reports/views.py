from allauth.core import ratelimit
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from articles.models import Article
from comments.models import Comment
from notrecontinent.clientaddress import client_address

from .forms import ReportForm

REPORT_REPEAT_SECONDS = 24 * 60 * 60


def _report(request, *, target, back_url, comment=None, article=None):
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        status = 400 if form.is_bound else 200
        return _form_page(request, form, target, back_url, comment, article, status=status)
    # Reports from one client address, whatever they target, within a budget
    # (settings.ACCOUNT_RATE_LIMITS["report"]); repeats count too.
    if not ratelimit.consume(request, action="report"):
        form.add_error(
            None,
            _(
                "Vous avez envoyé trop de signalements en peu de temps. Celui-ci n'a pas été "
                "transmis : réessayez plus tard."
            ),
        )
        return _form_page(request, form, target, back_url, comment, article, status=429)
    ip = client_address(request)
    kind = "comment" if comment else "article"
    # One report of a thing per address and day is enough for the moderators.
    if cache.add(f"reports:{ip}:{kind}:{target.pk}", 1, REPORT_REPEAT_SECONDS):
        report = form.save(commit=False)
        report.comment, report.article = comment, article
        report.reporter = request.user if request.user.is_authenticated else None
        report.ip_address = ip
        report.save()
    messages.success(
        request, _("Merci, votre signalement a été transmis à l'équipe de modération.")
    )
    return HttpResponseRedirect(back_url)


def _form_page(request, form, target, back_url, comment, article, *, status):
    return render(
        request,
        "reports/report_form.html",
        {
            "form": form,
            "target": target,
            "comment": comment,
            "article": article or comment.article,
            "back_url": back_url,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def report_comment(request, pk):
    comment = get_object_or_404(
        Comment.objects.visible().select_related("article"),
        pk=pk,
        article__in=Article.objects.published(),
    )
    return _report(
        request,
        target=comment,
        back_url=f"{comment.article.get_absolute_url()}#comment-{comment.pk}",
        comment=comment,
    )


@require_http_methods(["GET", "POST"])
def report_article(request, slug):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    return _report(request, target=article, back_url=article.get_absolute_url(), article=article)
