"""The migration scripts build exactly the schema the models describe, on each database."""

from frontdesk import db
from frontdesk.models import MODELS
from playhouse.schema_diff import diff_models

# The clients search's trigram index on PostgreSQL (migration 0022): made where pg_trgm can be, so the models,
# which describe what every database has, leave it out.
SEARCH_INDEX = "client_search_trigram"


def test_migrated_schema_matches_the_models(app):
    drift = diff_models(db.database.obj, MODELS)
    drift.drop_indexes[:] = [index for index in drift.drop_indexes if index.name != SEARCH_INDEX]
    assert not drift, f"models and migrations differ; add a migration for:\n{drift}"


def test_upgrade_twice_applies_nothing_the_second_time(app):
    assert db.upgrade() == []
