"""Services and clinic settings (issue 11): who offers a service and its price, sessions that keep the terms they
were booked on, the professional's buffer, notice and horizon, the clinic's slot grid and date style, and the
version numbers that stop two owners' saves from silently overwriting each other."""

from peewee import BooleanField, CharField, ForeignKeyField, IntegerField, Model


def up(migrator, db):
    class Service(Model):
        class Meta:
            database = db
            table_name = "service"

    class Professional(Model):
        class Meta:
            database = db
            table_name = "professional"

    class ServiceProfessional(Model):
        service = ForeignKeyField(Service, on_delete="CASCADE")
        professional = ForeignKeyField(Professional, on_delete="CASCADE")

        class Meta:
            database = db
            table_name = "service_professional"
            indexes = ((("service", "professional"), True),)

    db.create_tables([ServiceProfessional])
    migrator.migrate(
        migrator.add_column("clinic", "slot_grid_minutes", IntegerField(default=30)),
        migrator.add_column("clinic", "date_style", CharField(default="medium")),
        migrator.add_column("clinic", "settings_version", IntegerField(default=1)),
        migrator.add_column("professional", "buffer_minutes", IntegerField(default=0)),
        migrator.add_column("professional", "notice_minutes", IntegerField(default=60)),
        migrator.add_column("professional", "horizon_days", IntegerField(default=365)),
        migrator.add_column("service", "price_cents", IntegerField(null=True)),
        migrator.add_column("service", "bookable_online", BooleanField(default=True)),
        migrator.add_column("service", "version", IntegerField(default=1)),
        migrator.add_column("appointment", "price_cents", IntegerField(null=True)),
        migrator.add_column("appointment", "late_fee_cents", IntegerField(null=True)),
        migrator.add_column("appointment", "currency", CharField(default="")),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("appointment", "currency"),
        migrator.drop_column("appointment", "late_fee_cents"),
        migrator.drop_column("appointment", "price_cents"),
        migrator.drop_column("service", "version"),
        migrator.drop_column("service", "bookable_online"),
        migrator.drop_column("service", "price_cents"),
        migrator.drop_column("professional", "horizon_days"),
        migrator.drop_column("professional", "notice_minutes"),
        migrator.drop_column("professional", "buffer_minutes"),
        migrator.drop_column("clinic", "settings_version"),
        migrator.drop_column("clinic", "date_style"),
        migrator.drop_column("clinic", "slot_grid_minutes"),
    )
    db.execute_sql("DROP TABLE service_professional")
