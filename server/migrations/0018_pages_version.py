"""Speed (issue 15): a version of what the clinic's public pages show, raised by every settings change, so
that a rendered request form may be kept and served again until it is out of date."""

from peewee import IntegerField


def up(migrator, db):
    migrator.migrate(migrator.add_column("clinic", "pages_version", IntegerField(default=1)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("clinic", "pages_version"))
