"""Weekly series (issue 14): a `series` row per series booked from a client's page, and each session's
`series_id`, so its siblings are known (the calendar's mark, "this and all following")."""

from peewee import DateTimeField, ForeignKeyField, IntegerField, Model


def up(migrator, db):
    class Clinic(Model):
        class Meta:
            database = db
            table_name = "clinic"

    class Professional(Model):
        class Meta:
            database = db
            table_name = "professional"

    class Client(Model):
        class Meta:
            database = db
            table_name = "client"

    class Series(Model):
        clinic = ForeignKeyField(Clinic, on_delete="CASCADE")
        professional = ForeignKeyField(Professional, on_delete="CASCADE")
        client = ForeignKeyField(Client, on_delete="CASCADE")
        weeks_apart = IntegerField(default=1)
        booked_by = ForeignKeyField(Professional, null=True, on_delete="SET NULL")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "series"

    db.create_tables([Series])
    # A foreign key column gets its index (appointment_series_id) with it: siblings are one index read.
    migrator.migrate(
        migrator.add_column(
            "appointment", "series_id", ForeignKeyField(Series, field=Series.id, null=True, on_delete="SET NULL")
        )
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column("appointment", "series_id"))
    db.execute_sql('DROP TABLE "series"')
