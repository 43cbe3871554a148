"""Journeys (issue 13): a client cancelling a session may say why, in their own words, for the professional."""

import peewee


def up(migrator, db):
    migrator.migrate(migrator.add_column("appointment", "client_note", peewee.TextField(default="")))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("appointment", "client_note"))
