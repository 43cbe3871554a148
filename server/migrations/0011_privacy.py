"""The client's rights (issue 12): the audit log, erasure requests, retention periods, a discreet sender
name, the privacy notice and the consent kept with each request and self-booking, a self-booking's registration
answers, and which clinic and
client each email belongs to (so erasure and retention can find it)."""

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Clinic(Model):
        class Meta:
            database = db
            table_name = "clinic"

    class AuditEvent(Model):
        clinic = ForeignKeyField(Clinic, on_delete="CASCADE")
        at = DateTimeField()
        member_id = IntegerField(null=True)
        role = CharField()
        action = CharField()
        kind = CharField()
        object_id = IntegerField(null=True)
        client_id = IntegerField(null=True)
        ip = CharField(default="")

        class Meta:
            database = db
            table_name = "audit_event"
            indexes = ((("clinic", "at"), False), (("clinic", "client_id", "at"), False))

    db.create_tables([AuditEvent])
    migrator.migrate(
        migrator.add_column("clinic", "request_retention_days", IntegerField(default=365)),
        migrator.add_column("clinic", "mail_body_retention_days", IntegerField(default=90)),
        migrator.add_column("clinic", "mail_sender_name", CharField(default="")),
        migrator.add_column("clinic", "privacy_notice", TextField(default="{}")),
        migrator.add_column("clinic", "privacy_consent", BooleanField(default=False)),
        migrator.add_column("request", "consent_text", TextField(default="")),
        migrator.add_column("request", "consent_at", DateTimeField(null=True)),
        migrator.add_column("appointment", "answers", TextField(default="[]")),
        migrator.add_column("appointment", "consent_text", TextField(default="")),
        migrator.add_column("appointment", "consent_at", DateTimeField(null=True)),
        migrator.add_column("outbox_message", "sender_name", CharField(default="")),
        migrator.add_column("client", "erasure_requested_at", DateTimeField(null=True)),
        migrator.add_column("client", "erased_at", DateTimeField(null=True)),
        migrator.add_column("outbox_message", "clinic_id", IntegerField(null=True)),
        migrator.add_column("outbox_message", "client_id", IntegerField(null=True)),
        migrator.add_index("outbox_message", ("client_id",), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("outbox_message", "outbox_message_client_id"),
        migrator.drop_column("outbox_message", "sender_name"),
        migrator.drop_column("outbox_message", "client_id"),
        migrator.drop_column("outbox_message", "clinic_id"),
        migrator.drop_column("client", "erased_at"),
        migrator.drop_column("client", "erasure_requested_at"),
        migrator.drop_column("appointment", "consent_at"),
        migrator.drop_column("appointment", "consent_text"),
        migrator.drop_column("appointment", "answers"),
        migrator.drop_column("request", "consent_at"),
        migrator.drop_column("request", "consent_text"),
        migrator.drop_column("clinic", "privacy_consent"),
        migrator.drop_column("clinic", "privacy_notice"),
        migrator.drop_column("clinic", "mail_sender_name"),
        migrator.drop_column("clinic", "mail_body_retention_days"),
        migrator.drop_column("clinic", "request_retention_days"),
    )
    db.execute_sql('DROP TABLE "audit_event"')
