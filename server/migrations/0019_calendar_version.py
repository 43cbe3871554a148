"""Speed (issue 15): a version of what a professional's free slots come from, raised by every writer of
their sessions, holds, hours, time off and external busy times, so that a rendered booking calendar may be
kept and served again until it is out of date."""

from peewee import IntegerField


def up(migrator, db):
    migrator.migrate(migrator.add_column("professional", "calendar_version", IntegerField(default=1)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("professional", "calendar_version"))
