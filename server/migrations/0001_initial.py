"""The first schema: clinics, professionals, services, questions, clients, requests, sessions, the outbox.

Generated with `python -m playhouse.migrations initial` and frozen: later changes are new scripts.
Defaults that Python computes (timestamps, uids) live in server/models.py, not in the schema.
"""

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Clinic(Model):
        slug = CharField(unique=True)
        name = CharField()
        timezone = CharField(default="Europe/London")
        country = CharField(default="GB")
        default_language = CharField(default="en")
        currency = CharField(default="GBP")
        requests_enabled = BooleanField(default=True)
        request_link_version = IntegerField(default=1)
        terms_url = CharField(default="")
        registration = TextField(null=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "clinic"

    db.create_tables([Clinic])

    class Professional(Model):
        clinic = ForeignKeyField(Clinic, on_delete="CASCADE")
        email = CharField(unique=True)
        name = CharField()
        password_hash = CharField()
        is_owner = BooleanField(default=False)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "professional"

    db.create_tables([Professional])

    class Client(Model):
        clinic = ForeignKeyField(Clinic, on_delete="CASCADE")
        email = CharField()
        name = CharField()
        phone = CharField(default="")
        date_of_birth = DateField(null=True)
        address = TextField(default="")
        language = CharField(default="")
        emergency_contact = CharField(default="")
        national_id = CharField(default="")
        status = CharField(default="waitlist")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "client"
            indexes = ((("clinic", "email"), True),)

    db.create_tables([Client])

    class Service(Model):
        clinic = ForeignKeyField(Clinic, on_delete="CASCADE")
        name = CharField()
        duration_minutes = IntegerField(default=50)
        active = BooleanField(default=True)
        position = IntegerField(default=0)

        class Meta:
            database = db
            table_name = "service"

    db.create_tables([Service])

    class Appointment(Model):
        clinic = ForeignKeyField(Clinic, on_delete="CASCADE")
        professional = ForeignKeyField(Professional, on_delete="CASCADE")
        client = ForeignKeyField(Client, on_delete="CASCADE")
        service = ForeignKeyField(Service, null=True, on_delete="SET NULL")
        starts_at = DateTimeField()
        ends_at = DateTimeField()
        status = CharField(default="booked")
        channel = CharField(default="direct")
        booked_by = ForeignKeyField(Professional, null=True, on_delete="SET NULL")
        uid = CharField(unique=True)
        sequence = IntegerField(default=0)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "appointment"
            indexes = ((("professional", "starts_at"), False),)

    db.create_tables([Appointment])

    class OutboxMessage(Model):
        message_id = CharField(unique=True)
        to_address = CharField()
        subject = CharField()
        text_body = TextField()
        html_body = TextField()
        ics = TextField(null=True)
        ics_method = CharField(null=True)
        created_at = DateTimeField()
        attempts = IntegerField(default=0)
        next_attempt_at = DateTimeField()
        sent_at = DateTimeField(null=True)
        last_error = TextField(default="")

        class Meta:
            database = db
            table_name = "outbox_message"
            indexes = ((("sent_at", "next_attempt_at"), False),)

    db.create_tables([OutboxMessage])

    class Question(Model):
        clinic = ForeignKeyField(Clinic, on_delete="CASCADE")
        label = CharField()
        kind = CharField()
        choices = TextField(null=True)
        required = BooleanField(default=False)
        position = IntegerField(default=0)

        class Meta:
            database = db
            table_name = "question"

    db.create_tables([Question])

    class Request(Model):
        clinic = ForeignKeyField(Clinic, on_delete="CASCADE")
        client = ForeignKeyField(Client, on_delete="CASCADE")
        service = ForeignKeyField(Service, null=True, on_delete="SET NULL")
        message = TextField(default="")
        answers = TextField(null=True)
        status = CharField(default="pending")
        decline_message = TextField(default="")
        decided_at = DateTimeField(null=True)
        decided_by = ForeignKeyField(Professional, null=True, on_delete="SET NULL")
        created_at = DateTimeField(index=True)

        class Meta:
            database = db
            table_name = "request"
            indexes = ((("clinic", "status", "created_at"), False),)

    db.create_tables([Request])

    class UsedFormToken(Model):
        nonce = CharField(primary_key=True)
        used_at = DateTimeField()

        class Meta:
            database = db
            table_name = "used_form_token"

    db.create_tables([UsedFormToken])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("used_form_token"))
    migrator.migrate(migrator.drop_table("request"))
    migrator.migrate(migrator.drop_table("question"))
    migrator.migrate(migrator.drop_table("outbox_message"))
    migrator.migrate(migrator.drop_table("appointment"))
    migrator.migrate(migrator.drop_table("service"))
    migrator.migrate(migrator.drop_table("client"))
    migrator.migrate(migrator.drop_table("professional"))
    migrator.migrate(migrator.drop_table("clinic"))
