"""Speed (issues 15 and 18): an email is rendered when it is sent, not inside the change that queues it, from
a signed draft of what it is rendered from, kept as it was when the change committed."""

from peewee import TextField


def up(migrator, db):
    migrator.migrate(migrator.add_column("outbox_message", "draft", TextField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("outbox_message", "draft"))
