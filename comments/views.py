from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from articles.models import Article
from notrecontinent.clientaddress import client_address

from . import policy, remember, services, threads
from .forms import CommentEditForm, CommentForm
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
    if not services.comments_open(article):
        return _closed(request, article)
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
    try:
        comment = services.post_comment(
            article=article,
            user=request.user,
            ip_address=ip_address,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            **fields,
        )
    except services.Refused:  # closed between the check above and now
        return _closed(request, article)
    if comment.user_id is None or not comment.is_approved:
        # This browser may edit or delete its anonymous comment, and sees it while it waits.
        threads.remember(request, comment)
    if comment.is_approved:
        messages.success(request, _("Merci, votre commentaire est publié."))
    else:
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
    response = HttpResponseRedirect(f"{article.get_absolute_url()}{query}#comment-{comment.pk}")
    if form.wants_to_be_remembered:
        remember.remember(response, name=fields["name"], email=fields["email"])
    elif comment.user_id is None:
        # Unticked: nothing is kept, and what an earlier comment kept is forgotten.
        remember.forget(request, response)
    return response


def _closed(request, article):
    """Posting to an article whose comments are closed: the page says so, with a 403."""
    return TemplateResponse(
        request,
        "articles/article_detail.html",
        {"article": article, "object": article},
        status=403,
    )


def _refused(request, refusal, pk):
    """A clear refusal, in French, with the way back to the article when it is public."""
    comment = Comment.objects.select_related("article").filter(pk=pk).first()
    article = comment.article if comment is not None and comment.article.is_public else None
    return render(
        request,
        "comments/comment_refused.html",
        {"message": refusal.message, "article": article},
        status=refusal.status,
    )


# Self-service. The rights (Comment.owned_by: the account, or the browser session that
# posted an anonymous comment) and the rules (services.check_editable) are checked by the
# services under a lock on each POST, whatever the form showed.


@never_cache
@require_http_methods(["GET", "POST"])
def edit_comment(request, pk):
    owner = {"user": request.user, "session_ids": threads.remembered(request)}
    try:
        comment = services.editable_comment(pk, **owner)
    except services.Refused as refusal:
        return _refused(request, refusal, pk)
    data = request.POST if request.method == "POST" else None
    form = CommentEditForm(data, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.edit_comment(pk, body=form.cleaned_data["body"], **owner)
        except services.Refused as refusal:
            return _refused(request, refusal, pk)
        if comment.is_approved:
            messages.success(request, _("Votre commentaire est modifié."))
        else:
            threads.remember(request, comment)
            messages.info(
                request,
                _("Votre commentaire est modifié ; il attend de nouveau un modérateur."),
            )
        return redirect(comment.get_absolute_url())
    status = 400 if form.is_bound else 200
    return render(
        request,
        "comments/comment_edit.html",
        {"form": form, "comment": comment, "article": comment.article},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def delete_comment(request, pk):
    owner = {"user": request.user, "session_ids": threads.remembered(request)}
    try:
        comment = services.deletable_comment(pk, **owner)
        if request.method == "POST":
            comment = services.delete_comment(pk, **owner)
    except services.Refused as refusal:
        return _refused(request, refusal, pk)
    if request.method == "POST":
        messages.success(request, _("Votre commentaire est supprimé."))
        article = comment.article
        return redirect(f"{article.get_absolute_url()}#commentaires" if article.is_public else "/")
    return render(
        request,
        "comments/comment_confirm_delete.html",
        {"comment": comment, "article": comment.article},
    )


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
