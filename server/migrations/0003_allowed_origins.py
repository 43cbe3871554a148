"""Clinics list the websites that may frame their pages (Clinic.allowed_origins): none at first."""

from peewee import TextField


def up(migrator, db):
    migrator.migrate(migrator.add_column("clinic", "allowed_origins", TextField(default="[]")))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("clinic", "allowed_origins"))
