"""Demo comments: a few approved threads under the most read demo articles.

Run after `load_demo`. Does nothing once the site has any comment, so it never mixes
demo threads with real ones.
Comments are stored as a moderator would have approved them, without the notification
e-mails a real approval sends.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from comments.models import Comment

# (name, e-mail, text, replies) — replies nest under the comment they answer.
THREADS = [
    [
        (
            "Fatou Sarr",
            "fatou.sarr@example.org",
            "Merci pour ce reportage. Dans mon quartier aussi, les anciens racontent la "
            "même chose : les choses changent quand les habitants s'en mêlent.",
            [
                (
                    "Ibrahima K.",
                    "ibrahima.k@example.org",
                    "C'est vrai, mais il faut aussi que la mairie suive. Sans budget, "
                    "la bonne volonté s'épuise vite.",
                    [
                        (
                            "Fatou Sarr",
                            "fatou.sarr@example.org",
                            "D'accord avec vous. Les deux vont ensemble.",
                            [],
                        )
                    ],
                )
            ],
        ),
        (
            "Koffi",
            "koffi.demo@example.org",
            "Article clair et bien documenté.\nJ'aimerais lire une suite dans quelques mois "
            "pour savoir ce que le projet est devenu.",
            [],
        ),
    ],
    [
        (
            "Mariam Touré",
            "mariam.toure@example.org",
            "Je partage cet article avec mon association : il montre bien ce que l'on vit "
            "au quotidien, loin des clichés.",
            [
                (
                    "Paul Mbarga",
                    "paul.mbarga@example.org",
                    "Pareil de notre côté, à Douala. Merci à l'auteur.",
                    [],
                )
            ],
        ),
    ],
    [
        (
            "Seydou",
            "seydou.demo@example.org",
            "Un point de vue que l'on entend trop peu. Bravo pour le travail de terrain.",
            [],
        ),
    ],
]


class Command(BaseCommand):
    help = "Ajoute des commentaires de démonstration aux articles les plus lus."

    def handle(self, *args, **options):
        if Comment.objects.exists():
            self.stdout.write("Des commentaires existent déjà : rien à ajouter.")
            return
        moderator = get_user_model().objects.filter(is_staff=True).order_by("pk").first()
        articles = list(Article.objects.published().most_read()[: len(THREADS)])
        added = 0
        with transaction.atomic():
            for article, threads in zip(articles, THREADS, strict=False):
                moment = article.published_at + datetime.timedelta(hours=2)
                for thread in threads:
                    added += self._thread(article, thread, None, moment, moderator)
                    moment += datetime.timedelta(hours=5)
        self.stdout.write(f"Démonstration : {added} commentaires ajoutés.")

    def _thread(self, article, node, parent, moment, moderator):
        name, email, body, replies = node
        comment = Comment(
            article=article,
            name=name,
            email=email,
            body=body,
            status=Comment.Status.APPROVED,
            created_at=min(moment, timezone.now()),
            moderated_by=moderator,
            moderated_at=min(moment, timezone.now()),
        )
        comment.attach_to(parent)
        comment.save()
        count = 1
        for offset, reply in enumerate(replies, start=1):
            count += self._thread(
                article, reply, comment, moment + datetime.timedelta(minutes=40 * offset), moderator
            )
        return count
