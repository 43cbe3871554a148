"""Accounts (issue 11): server-side sign-in sessions, two-step sign-in with recovery codes, and the clinic's
choice to require it."""

from peewee import BigIntegerField, BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model


def up(migrator, db):
    class Professional(Model):
        class Meta:
            database = db
            table_name = "professional"

    class MemberSession(Model):
        token_hash = CharField(unique=True)
        professional = ForeignKeyField(Professional, on_delete="CASCADE")
        created_at = DateTimeField()
        last_used_at = DateTimeField()
        user_agent = CharField(default="")
        network = CharField(default="")
        awaiting_code = BooleanField(default=False)
        failed_codes = IntegerField(default=0)
        setup_secret = CharField(null=True)

        class Meta:
            database = db
            table_name = "member_session"

    class RecoveryCode(Model):
        professional = ForeignKeyField(Professional, on_delete="CASCADE")
        code_hash = CharField()
        used_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "recovery_code"

    db.create_tables([MemberSession, RecoveryCode])
    migrator.migrate(
        migrator.add_column("clinic", "require_two_factor", BooleanField(default=False)),
        migrator.add_column("professional", "totp_secret", CharField(null=True)),
        migrator.add_column("professional", "totp_last_step", BigIntegerField(default=0)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("professional", "totp_last_step"),
        migrator.drop_column("professional", "totp_secret"),
        migrator.drop_column("clinic", "require_two_factor"),
    )
    migrator.migrate(migrator.drop_table("recovery_code"), migrator.drop_table("member_session"))
