"""Full-text search of articles (articles/search.py), on each database its own way.

PostgreSQL: the unaccent extension; a text search configuration, french_unaccent, that
folds accents then stems French; a search_vector column (title A, summary B, body C)
kept by a trigger, so that any insert, raw or COPY, is indexed; its GIN index. The
column is not a model field: see articles/search.py. After changing the configuration,
refill it: UPDATE articles_article SET search_vector = articles_search_vector(title,
summary, body).

SQLite: an FTS5 table kept by triggers (articles.search.create_sqlite_index), put back
after any later migration that rebuilds articles_article (articles.apps).
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

POSTGRESQL = r"""
CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
ALTER TEXT SEARCH CONFIGURATION french_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;

-- The text search parser knows tags (with their attributes) and entities, and indexes
-- neither: the body is parsed as it is, which costs less than stripping the tags first.
CREATE FUNCTION articles_search_vector(title text, summary text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('french_unaccent', coalesce(title, '')), 'A')
        || setweight(to_tsvector('french_unaccent', coalesce(summary, '')), 'B')
        || setweight(to_tsvector('french_unaccent', coalesce(body, '')), 'C')
$$;

-- The search_path of this migration goes with the trigger: pg_dump's restore, for one,
-- empties it, and the functions and the configuration above would not be found.
CREATE FUNCTION articles_article_search_vector() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    NEW.search_vector := articles_search_vector(NEW.title, NEW.summary, NEW.body);
    RETURN NEW;
END
$$;

ALTER TABLE articles_article ADD COLUMN search_vector tsvector;
-- A search reads the vector of every candidate row: kept in the row (compressed), it costs
-- the row's page only, not a TOAST index lookup and two chunks (~10 times fewer buffers for
-- a common word at 100k articles). Bodies, which only article pages read, go to TOAST
-- instead when a row is too long.
ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE MAIN;
UPDATE articles_article SET search_vector = articles_search_vector(title, summary, body);

CREATE TRIGGER articles_article_search_insert
    BEFORE INSERT ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector();
-- A save that leaves the three texts as they were (publication, a new cover) costs nothing.
CREATE TRIGGER articles_article_search_update
    BEFORE UPDATE OF title, summary, body ON articles_article
    FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title
          OR OLD.summary IS DISTINCT FROM NEW.summary
          OR OLD.body IS DISTINCT FROM NEW.body)
    EXECUTE FUNCTION articles_article_search_vector();

CREATE INDEX articles_article_search_gin ON articles_article USING gin (search_vector);
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER articles_article_search_update ON articles_article;
DROP TRIGGER articles_article_search_insert ON articles_article;
ALTER TABLE articles_article DROP COLUMN search_vector;
DROP FUNCTION articles_article_search_vector();
DROP FUNCTION articles_search_vector(text, text, text);
DROP TEXT SEARCH CONFIGURATION french_unaccent;
"""


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL, params=None)
    elif connection.vendor == "sqlite":
        from articles.search import create_sqlite_index

        create_sqlite_index(connection)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE, params=None)
    elif connection.vendor == "sqlite":
        from articles.search import drop_sqlite_index

        drop_sqlite_index(connection)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_moderators_group"),
    ]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
