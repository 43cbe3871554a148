"""The calendar (issue 14): reminder settings and the reminders sent, the daily agenda, and the calendar
subscription address per professional."""

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("clinic", "reminder_hours", IntegerField(default=24)),
        migrator.add_column("clinic", "second_reminder_hours", IntegerField(null=True)),
        migrator.add_column("clinic", "remind_late_bookings", BooleanField(default=False)),
        migrator.add_column("professional", "daily_agenda", BooleanField(default=False)),
        migrator.add_column("professional", "feed_version", IntegerField(default=1)),
        migrator.add_column("professional", "feed_full_names", BooleanField(default=False)),
        migrator.add_column("client", "reminders", BooleanField(default=True)),
        migrator.add_index("appointment", ("status", "starts_at"), False),
    )

    class Clinic(Model):
        class Meta:
            database = db
            table_name = "clinic"

    class Appointment(Model):
        class Meta:
            database = db
            table_name = "appointment"

    class SentReminder(Model):
        key = CharField(unique=True)
        clinic = ForeignKeyField(Clinic, on_delete="CASCADE")
        appointment = ForeignKeyField(Appointment, null=True, on_delete="CASCADE")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "sent_reminder"

    db.create_tables([SentReminder])


def down(migrator, db):
    db.execute_sql('DROP TABLE "sent_reminder"')
    migrator.migrate(
        migrator.drop_index("appointment", "appointment_status_starts_at"),
        migrator.drop_column("client", "reminders"),
        migrator.drop_column("professional", "feed_full_names"),
        migrator.drop_column("professional", "feed_version"),
        migrator.drop_column("professional", "daily_agenda"),
        migrator.drop_column("clinic", "remind_late_bookings"),
        migrator.drop_column("clinic", "second_reminder_hours"),
        migrator.drop_column("clinic", "reminder_hours"),
    )
