"""Journeys (issue 13): a client cancelling a session may say why, in their own words, for the
professional; and a client's emails carry a Reply-To, so that an answer reaches the clinic."""

import peewee


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("appointment", "client_note", peewee.TextField(default="")),
        migrator.add_column("outbox_message", "reply_to", peewee.CharField(default="")),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("outbox_message", "reply_to"),
        migrator.drop_column("appointment", "client_note"),
    )
