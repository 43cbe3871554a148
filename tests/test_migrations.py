"""The migration scripts build exactly the schema the models describe, on each database."""

from frontdesk import db
from frontdesk.models import MODELS
from playhouse.schema_diff import diff_models


def test_migrated_schema_matches_the_models(app):
    drift = diff_models(db.database.obj, MODELS)
    assert not drift, f"models and migrations differ; add a migration for:\n{drift}"


def test_upgrade_twice_applies_nothing_the_second_time(app):
    assert db.upgrade() == []
