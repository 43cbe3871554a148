"""Where sessions happen (issue 13): the clinic's address, each service's place (in person, video or
phone), a professional's usual video link, and a session's own video link and note on the place."""

from peewee import CharField, TextField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("clinic", "address", TextField(default="")),
        migrator.add_column("service", "place", CharField(default="in_person")),
        migrator.add_column("professional", "video_link", CharField(default="")),
        migrator.add_column("appointment", "video_link", CharField(default="")),
        migrator.add_column("appointment", "place_note", CharField(default="")),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("appointment", "place_note"),
        migrator.drop_column("appointment", "video_link"),
        migrator.drop_column("professional", "video_link"),
        migrator.drop_column("service", "place"),
        migrator.drop_column("clinic", "address"),
    )
