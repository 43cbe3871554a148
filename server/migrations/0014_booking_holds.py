"""Holds (issue 12): a clinic may ask that a session a client books themselves is confirmed from the
email; until then it holds its slot for the clinic's chosen minutes, and the session keeps when that ends."""

import peewee


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("clinic", "confirm_self_bookings", peewee.BooleanField(default=False)),
        migrator.add_column("clinic", "hold_minutes", peewee.IntegerField(default=30)),
        migrator.add_column("appointment", "hold_until", peewee.DateTimeField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("appointment", "hold_until"),
        migrator.drop_column("clinic", "hold_minutes"),
        migrator.drop_column("clinic", "confirm_self_bookings"),
    )
