"""Clients and hubs (issue 11): phone-only clients, archiving, hubs that close, a calendar-or-requests choice per
hub membership, and the languages each professional works in (shown on hub pages)."""

from peewee import CharField, DateTimeField, TextField


def up(migrator, db):
    migrator.migrate(
        migrator.drop_not_null("client", "email"),
        migrator.add_column("client", "archived_at", DateTimeField(null=True)),
        migrator.add_column("hub", "closed_at", DateTimeField(null=True)),
        migrator.add_column("hub_member", "mode", CharField(default="calendar")),
        migrator.add_column("professional", "languages", TextField(null=True)),
    )
    # Each membership starts with the choice its professional had made for every hub at once.
    db.execute_sql(
        "UPDATE hub_member SET mode = "
        "(SELECT hub_mode FROM professional WHERE professional.id = hub_member.professional_id)"
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("professional", "languages"),
        migrator.drop_column("hub_member", "mode"),
        migrator.drop_column("hub", "closed_at"),
        migrator.drop_column("client", "archived_at"),
        migrator.add_not_null("client", "email"),
    )
