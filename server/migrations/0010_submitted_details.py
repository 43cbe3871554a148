"""Privacy (issue 12): what a public form said about a client already on record, kept with its request or
booking for the team to review and apply instead of being written over the client's record."""

from peewee import TextField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("request", "submitted_details", TextField(null=True)),
        migrator.add_column("appointment", "submitted_details", TextField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("appointment", "submitted_details"),
        migrator.drop_column("request", "submitted_details"),
    )
