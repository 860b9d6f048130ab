"""A citizen's own data across apps: the JSON export and the deletion of an account."""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from articles.services import delete_unpublished_by, export_author_data
from comments.services import erase_commenter_data, export_commenter_data
from notrecontinent.images import delete_on_commit
from reports.services import erase_reporter_data, export_reporter_data


def _file_url(field):
    return field.url if field else ""


def export_account_data(user) -> dict:
    """Everything kept about an account, JSON-serialisable; each app gives its own part."""
    return {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "username": user.username,
            "email": user.email,
            "display_name": user.display_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "account_kind": user.account_kind,
            "organisation": user.organisation,
            "bio": user.bio,
            "website": user.website,
            "avatar": _file_url(user.avatar),
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "articles": export_author_data(user),
        "comments": export_commenter_data(user=user),
        "reports": export_reporter_data(user),
    }


@transaction.atomic
def delete_account(user):
    """Delete an account and erase its personal data.

    Published articles stay online, signed "Auteur supprimé" (Article.author is
    SET_NULL); drafts, articles in review and refused ones are deleted with their
    pictures; comments are kept in their threads but anonymised. Files leave storage
    once all of it is committed.
    """
    # The account's own comments, and those left anonymously with its confirmed address.
    erase_commenter_data(user=user, email=user.email)
    erase_reporter_data(user)
    delete_unpublished_by(user)
    delete_on_commit(user.avatar)
    user.delete()
