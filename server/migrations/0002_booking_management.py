"""Booking management (issue 3): availability, hubs, manage links, cancellations, charge decisions."""

import secrets

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
    TimeField,
)


def up(migrator, db):
    class Appointment(Model):
        class Meta:
            database = db
            table_name = "appointment"

    class Clinic(Model):
        class Meta:
            database = db
            table_name = "clinic"

    class Professional(Model):
        class Meta:
            database = db
            table_name = "professional"

    class Hub(Model):
        clinic = ForeignKeyField(Clinic, on_delete="CASCADE")
        name = CharField()
        link_version = IntegerField(default=1)

        class Meta:
            database = db
            table_name = "hub"

    db.create_tables([Hub])

    class ChargeDecision(Model):
        clinic = ForeignKeyField(Clinic, on_delete="CASCADE")
        appointment = ForeignKeyField(Appointment, unique=True, on_delete="CASCADE")
        reason = CharField()
        amount_cents = IntegerField()
        currency = CharField()
        status = CharField(default="open")
        note = TextField(default="")
        created_at = DateTimeField()
        decided_at = DateTimeField(null=True)
        decided_by = ForeignKeyField(Professional, null=True, on_delete="SET NULL")

        class Meta:
            database = db
            table_name = "charge_decision"
            indexes = ((("clinic", "status", "created_at"), False),)

    db.create_tables([ChargeDecision])

    class HubMember(Model):
        hub = ForeignKeyField(Hub, on_delete="CASCADE")
        professional = ForeignKeyField(Professional, on_delete="CASCADE")
        position = IntegerField(default=0)

        class Meta:
            database = db
            table_name = "hub_member"
            indexes = ((("hub", "professional"), True),)

    db.create_tables([HubMember])

    class TimeOff(Model):
        professional = ForeignKeyField(Professional, on_delete="CASCADE")
        first_day = DateField()
        last_day = DateField()
        note = CharField(default="")

        class Meta:
            database = db
            table_name = "time_off"

    db.create_tables([TimeOff])

    class WorkingHours(Model):
        professional = ForeignKeyField(Professional, on_delete="CASCADE")
        weekday = IntegerField()
        opens = TimeField()
        closes = TimeField()

        class Meta:
            database = db
            table_name = "working_hours"

    db.create_tables([WorkingHours])

    migrator.migrate(migrator.add_column("clinic", "policy_hours", IntegerField(default=24)))
    migrator.migrate(migrator.add_column("clinic", "late_fee_cents", IntegerField(default=0)))
    migrator.migrate(migrator.add_column("professional", "booking_link_version", IntegerField(default=1)))
    migrator.migrate(migrator.add_column("professional", "hub_mode", CharField(default="calendar")))
    migrator.migrate(migrator.add_column("client", "dashboard_nonce", CharField(default="")))
    _fill_nonces(db, "client", "dashboard_nonce")
    migrator.migrate(migrator.add_column("service", "late_fee_cents", IntegerField(null=True)))
    migrator.migrate(
        migrator.add_column(
            "appointment", "hub_id", ForeignKeyField(Hub, field=Hub.id, null=True, on_delete="SET NULL")
        )
    )
    migrator.migrate(migrator.add_column("appointment", "manage_nonce", CharField(default="")))
    _fill_nonces(db, "appointment", "manage_nonce")
    migrator.migrate(migrator.add_column("appointment", "cancelled_at", DateTimeField(null=True)))
    migrator.migrate(migrator.add_column("appointment", "cancelled_by", CharField(default="")))
    migrator.migrate(
        migrator.add_column(
            "appointment",
            "cancelled_by_professional_id",
            ForeignKeyField(Professional, field=Professional.id, null=True, on_delete="SET NULL"),
        )
    )
    migrator.migrate(migrator.add_column("appointment", "cancel_reason", CharField(default="")))
    migrator.migrate(migrator.add_column("appointment", "notice_minutes", IntegerField(null=True)))
    migrator.migrate(migrator.add_column("appointment", "late", BooleanField(default=False)))
    migrator.migrate(
        migrator.add_column(
            "appointment",
            "rescheduled_to_id",
            ForeignKeyField(Appointment, field=Appointment.id, null=True, on_delete="SET NULL"),
        )
    )
    migrator.migrate(migrator.add_column("appointment", "no_show_at", DateTimeField(null=True)))
    migrator.migrate(
        migrator.add_column("request", "hub_id", ForeignKeyField(Hub, field=Hub.id, null=True, on_delete="SET NULL"))
    )
    migrator.migrate(
        migrator.add_column(
            "request",
            "professional_id",
            ForeignKeyField(Professional, field=Professional.id, null=True, on_delete="SET NULL"),
        )
    )
    migrator.migrate(migrator.add_index("appointment", ("clinic_id", "starts_at")))


def _fill_nonces(db, table, column):
    """Existing rows get their own random nonce, as new rows do in server/models.py."""
    ids = [row[0] for row in db.execute_sql(f"SELECT id FROM {table}").fetchall()]
    for row_id in ids:
        db.execute_sql(
            f"UPDATE {table} SET {column} = {db.param} WHERE id = {db.param}", (secrets.token_urlsafe(12), row_id)
        )


def down(migrator, db):
    migrator.migrate(migrator.drop_index("request", "request_professional_id"))
    migrator.migrate(migrator.drop_index("request", "request_hub_id"))
    migrator.migrate(migrator.drop_index("appointment", "appointment_rescheduled_to_id"))
    migrator.migrate(migrator.drop_index("appointment", "appointment_hub_id"))
    migrator.migrate(migrator.drop_index("appointment", "appointment_clinic_id_starts_at"))
    migrator.migrate(migrator.drop_index("appointment", "appointment_cancelled_by_professional_id"))
    migrator.migrate(migrator.drop_column("request", "professional_id"))
    migrator.migrate(migrator.drop_column("request", "hub_id"))
    migrator.migrate(migrator.drop_column("appointment", "no_show_at"))
    migrator.migrate(migrator.drop_column("appointment", "rescheduled_to_id"))
    migrator.migrate(migrator.drop_column("appointment", "late"))
    migrator.migrate(migrator.drop_column("appointment", "notice_minutes"))
    migrator.migrate(migrator.drop_column("appointment", "cancel_reason"))
    migrator.migrate(migrator.drop_column("appointment", "cancelled_by_professional_id"))
    migrator.migrate(migrator.drop_column("appointment", "cancelled_by"))
    migrator.migrate(migrator.drop_column("appointment", "cancelled_at"))
    migrator.migrate(migrator.drop_column("appointment", "manage_nonce"))
    migrator.migrate(migrator.drop_column("appointment", "hub_id"))
    migrator.migrate(migrator.drop_column("service", "late_fee_cents"))
    migrator.migrate(migrator.drop_column("client", "dashboard_nonce"))
    migrator.migrate(migrator.drop_column("professional", "hub_mode"))
    migrator.migrate(migrator.drop_column("professional", "booking_link_version"))
    migrator.migrate(migrator.drop_column("clinic", "late_fee_cents"))
    migrator.migrate(migrator.drop_column("clinic", "policy_hours"))
    migrator.migrate(migrator.drop_table("working_hours"))
    migrator.migrate(migrator.drop_table("time_off"))
    migrator.migrate(migrator.drop_table("hub_member"))
    migrator.migrate(migrator.drop_table("charge_decision"))
    migrator.migrate(migrator.drop_table("hub"))
