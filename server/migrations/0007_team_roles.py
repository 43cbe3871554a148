"""Team and roles (issue 11): each member's role instead of an owner flag, deactivation, the front desk's
charge permission, invitations, and each professional's public name and profile per language."""

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, Model, TextField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("professional", "role", CharField(default="professional")),
        migrator.add_column("professional", "is_active", BooleanField(default=True)),
        migrator.add_column("professional", "public_name", CharField(default="")),
        migrator.add_column("professional", "profile", TextField(null=True)),
        migrator.add_column("clinic", "front_desk_decides_charges", BooleanField(default=False)),
    )
    db.execute_sql("UPDATE professional SET role = 'owner' WHERE is_owner")
    migrator.migrate(migrator.drop_column("professional", "is_owner"))

    class Clinic(Model):
        class Meta:
            database = db
            table_name = "clinic"

    class Professional(Model):
        class Meta:
            database = db
            table_name = "professional"

    class Invitation(Model):
        clinic = ForeignKeyField(Clinic, on_delete="CASCADE")
        email = CharField()
        role = CharField()
        invited_by = ForeignKeyField(Professional, null=True, on_delete="SET NULL")
        nonce = CharField()
        sent_at = DateTimeField()
        accepted_at = DateTimeField(null=True)
        revoked_at = DateTimeField(null=True)
        member = ForeignKeyField(Professional, null=True, on_delete="SET NULL")

        class Meta:
            database = db
            table_name = "invitation"
            indexes = ((("clinic", "email"), False),)

    db.create_tables([Invitation])


def down(migrator, db):
    db.execute_sql("DROP TABLE invitation")
    migrator.migrate(migrator.add_column("professional", "is_owner", BooleanField(default=False)))
    db.execute_sql("UPDATE professional SET is_owner = (role = 'owner')")
    migrator.migrate(
        migrator.drop_column("clinic", "front_desk_decides_charges"),
        migrator.drop_column("professional", "profile"),
        migrator.drop_column("professional", "public_name"),
        migrator.drop_column("professional", "is_active"),
        migrator.drop_column("professional", "role"),
    )
