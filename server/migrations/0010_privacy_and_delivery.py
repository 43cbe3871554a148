"""Privacy and delivery (issue 12): what a public form said about a client already on record, kept with its
request or booking for the team to review and apply; the claim that says which mail worker holds an
outbox message's lease; and the addresses waiting for their dashboard links to be looked up."""

from peewee import CharField, DateTimeField, Model, TextField


def up(migrator, db):
    class DashboardLinkRequest(Model):
        email = CharField()
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "dashboard_link_request"

    db.create_tables([DashboardLinkRequest])
    migrator.migrate(
        migrator.add_column("request", "submitted_details", TextField(null=True)),
        migrator.add_column("appointment", "submitted_details", TextField(null=True)),
        migrator.add_column("outbox_message", "claimed_by", CharField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("outbox_message", "claimed_by"),
        migrator.drop_column("appointment", "submitted_details"),
        migrator.drop_column("request", "submitted_details"),
    )
    db.execute_sql("DROP TABLE dashboard_link_request")
