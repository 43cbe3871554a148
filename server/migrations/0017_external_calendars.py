"""Calendar sync in (issue 14): each professional's external calendar addresses, and their busy times
(start and end only)."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Clinic(Model):
        class Meta:
            database = db
            table_name = "clinic"

    class Professional(Model):
        class Meta:
            database = db
            table_name = "professional"

    class ExternalCalendar(Model):
        clinic = ForeignKeyField(Clinic, on_delete="CASCADE")
        professional = ForeignKeyField(Professional, on_delete="CASCADE")
        url = TextField()
        label = CharField(default="")
        created_at = DateTimeField()
        etag = CharField(default="")
        last_modified = CharField(default="")
        attempted_at = DateTimeField(null=True)
        synced_at = DateTimeField(null=True)
        parsed_at = DateTimeField(null=True)
        error = CharField(default="")
        error_status = IntegerField(null=True)

        class Meta:
            database = db
            table_name = "external_calendar"

    class ExternalBusy(Model):
        calendar = ForeignKeyField(ExternalCalendar, on_delete="CASCADE")
        professional = ForeignKeyField(Professional, on_delete="CASCADE")
        starts_at = DateTimeField()
        ends_at = DateTimeField()

        class Meta:
            database = db
            table_name = "external_busy"
            indexes = ((("professional", "starts_at"), False),)

    db.create_tables([ExternalCalendar, ExternalBusy])


def down(migrator, db):
    db.execute_sql('DROP TABLE "external_busy"')
    db.execute_sql('DROP TABLE "external_calendar"')
