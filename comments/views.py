from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from articles.models import Article
from notrecontinent.clientaddress import client_address

from . import policy, services, threads
from .forms import CommentForm
from .models import Comment


def _article_page(request, article, form, *, status):
    """The article page again, with the comment form as the reader sent it."""
    context = {"article": article, "object": article, "comment_form": form}
    return TemplateResponse(request, "articles/article_detail.html", context, status=status)


@require_POST
def post_comment(request, slug):
    article = get_object_or_404(
        Article.objects.published().select_related("category", "author"), slug=slug
    )
    form = CommentForm(request.POST, article=article, user=request.user)
    if not form.is_valid():
        form.fresh_token()
        return _article_page(request, article, form, status=400)
    fields = form.comment_fields()
    ip_address = client_address(request)
    if policy.is_flooding(ip_address=ip_address, email=fields["email"]):
        form.add_error(
            None,
            _(
                "Vous venez déjà de publier un commentaire. Patientez quelques secondes "
                "avant d'envoyer le suivant."
            ),
        )
        form.fresh_token()
        return _article_page(request, article, form, status=429)
    comment = services.post_comment(
        article=article,
        user=request.user,
        ip_address=ip_address,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        **fields,
    )
    if comment.is_approved:
        messages.success(request, _("Merci, votre commentaire est publié."))
    else:
        threads.remember(request, comment)
        messages.info(
            request,
            _(
                "Merci ! Votre commentaire est en attente de modération : "
                "il sera publié après relecture."
            ),
        )
        if form.wants_email_confirmation:
            _confirmation_message(request, comment)
    page = threads.page_number_of(comment, threads.remembered(request))
    query = f"?{threads.PAGE_PARAM}={page}" if page > 1 else ""
    return HttpResponseRedirect(f"{article.get_absolute_url()}{query}#comment-{comment.pk}")


def _confirmation_message(request, comment):
    if services.request_email_confirmation(comment):
        messages.info(
            request,
            _("Un e-mail vient d'être envoyé à votre adresse : ouvrez son lien pour la confirmer."),
        )
    elif comment.status != Comment.Status.SPAM:
        messages.warning(
            request,
            _(
                "Un e-mail de confirmation a déjà été envoyé à cette adresse il y a quelques "
                "minutes : ce commentaire attendra un modérateur."
            ),
        )


# The link of the e-mail opens a page that asks for a click: mail scanners that fetch
# every link of a message confirm nothing.
@never_cache
@require_http_methods(["GET", "POST"])
def confirm_email(request, token):
    comment = Comment.from_email_confirmation_token(token)
    if comment is None:
        return render(request, "comments/email_confirmation.html", {"invalid": True}, status=404)
    done = request.method == "POST"
    if done:
        comment = services.confirm_email(comment)
    return render(
        request,
        "comments/email_confirmation.html",
        {"comment": comment, "article": comment.article, "done": done},
    )


# Mail clients post here without a CSRF token for RFC 8058 one-click unsubscribe; the
# signed token in the URL is the authorisation, and a GET only shows a confirmation.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    comment = Comment.from_unsubscribe_token(token)
    if comment is None:
        return render(request, "comments/unsubscribe.html", {"invalid": True}, status=404)
    done = request.method == "POST"
    if done:
        comment.stop_reply_notifications()
    return render(
        request,
        "comments/unsubscribe.html",
        {"comment": comment, "article": comment.article, "done": done},
    )
