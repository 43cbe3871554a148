"""Languages (issue 5): which languages a clinic offers, its own texts per language, the client's timezone."""

from peewee import CharField, TextField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("clinic", "languages", TextField(null=True)),
        migrator.add_column("clinic", "terms_label", TextField(null=True)),
        migrator.add_column("service", "name_translations", TextField(null=True)),
        migrator.add_column("question", "translations", TextField(null=True)),
        migrator.add_column("client", "timezone", CharField(default="")),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("client", "timezone"),
        migrator.drop_column("question", "translations"),
        migrator.drop_column("service", "name_translations"),
        migrator.drop_column("clinic", "terms_label"),
        migrator.drop_column("clinic", "languages"),
    )
