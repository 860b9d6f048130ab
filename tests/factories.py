import datetime
from importlib import import_module

import factory
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from accounts.models import User
from articles.models import Article, Category
from comments.models import Comment
from tests import images

# Every user the factories make has this password: tests that log in through a form use it.
PASSWORD = "motdepasse-solide-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"citoyen{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    display_name = factory.Sequence(lambda n: f"Citoyen {n}")
    account_kind = User.Kind.PARTICULIER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ModeratorFactory(UserFactory):
    """Staff in the "Modérateurs" group of articles/migrations/0002, not a superuser."""

    username = factory.Sequence(lambda n: f"moderateur{n}")
    is_staff = True

    @factory.post_generation
    def join_moderators(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(moderators_group())


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Rubrique {n}")
    slug = factory.Sequence(lambda n: f"rubrique-{n}")
    order = factory.Sequence(lambda n: n)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Un article citoyen numéro {n}")
    summary = "Un chapô qui résume l'article en deux phrases."
    body = "<p>Premier paragraphe de l'article.</p><p>Second paragraphe.</p>"
    category = factory.SubFactory(CategoryFactory)
    author = factory.SubFactory(UserFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def cover(obj, create, extracted, **kwargs):
        """ArticleFactory(cover=True): with a cover, stored as the site stores one."""
        if create and extracted:
            obj.set_cover(images.upload())
            obj.save()


class DraftFactory(ArticleFactory):
    status = Article.Status.DRAFT
    published_at = None


class SubmittedFactory(DraftFactory):
    """An article its author has submitted, through the service (no e-mail): its text is
    recorded as version 1, the one a moderator reads and publishes."""

    @factory.post_generation
    def submit(obj, create, extracted, **kwargs):
        if create:
            from articles import services

            services.submit(obj, notify=False)


class CommentFactory(factory.django.DjangoModelFactory):
    """An approved top-level comment; pass parent= for a reply (same article, depth below)."""

    class Meta:
        model = Comment

    parent = None
    article = factory.LazyAttribute(
        lambda c: c.parent.article if c.parent is not None else ArticleFactory()
    )
    reply_to = factory.SelfAttribute("parent")
    thread = factory.LazyAttribute(
        lambda c: None if c.parent is None else c.parent.thread or c.parent
    )
    depth = factory.LazyAttribute(lambda c: c.parent.depth + 1 if c.parent is not None else 1)
    name = factory.Sequence(lambda n: f"Lecteur {n}")
    email = factory.Sequence(lambda n: f"lecteur{n}@example.net")
    body = "Merci pour cet article très clair."
    status = "approved"
    ip_address = "192.0.2.10"
    user_agent = "Mozilla/5.0 (X11; Linux x86_64) Test"


def moderators_group():
    """The group made by the data migration, made again if a transactional test's flush
    removed it (a flush keeps the tables, not the rows migrations created)."""
    migration = import_module("articles.migrations.0002_moderators_group")
    group, created = Group.objects.get_or_create(name=migration.GROUP)
    if created:
        # By codename: a model that later moved to another app (reports.Report) keeps them.
        codenames = [code for codes in migration.PERMISSIONS.values() for code in codes]
        group.permissions.set(Permission.objects.filter(codename__in=codenames))
    return group


class VerifiedUserFactory(UserFactory):
    """A citizen whose e-mail address is confirmed, as after allauth's sign-up: can log in."""

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)


REPLY_STATUSES = [
    Comment.Status.APPROVED,
    Comment.Status.PENDING,
    Comment.Status.REMOVED,
    Comment.Status.SPAM,
]


def bulk_threads(article, n, *, since=None):
    """n comments on `article` in three inserts, oldest thread first: approved top-level
    comments, each answered at depth 2 (approved, pending, removed or spam, in turn),
    then at depth 3 (approved), as many as n allows."""
    since = since or timezone.now() - datetime.timedelta(days=1)
    minute = datetime.timedelta(minutes=1)

    def comment(i, **fields):
        return Comment(
            article=article,
            name=f"Lecteur {i}",
            email=f"lecteur{i}@example.net",
            body=f"Commentaire numéro {i}.",
            created_at=since + i * minute,
            **fields,
        )

    parents = Comment.objects.bulk_create(
        comment(i, status=Comment.Status.APPROVED) for i in range(-(-n // 3))
    )
    made = len(parents)
    for depth in (2, 3):
        replies = [
            comment(
                made + j,
                parent=parent,
                reply_to=parent,
                thread_id=parent.thread_id or parent.pk,
                depth=depth,
                status=REPLY_STATUSES[j % 4] if depth == 2 else Comment.Status.APPROVED,
            )
            for j, parent in enumerate(parents[: n - made])
        ]
        parents = Comment.objects.bulk_create(replies)
        made += len(parents)
    return made
