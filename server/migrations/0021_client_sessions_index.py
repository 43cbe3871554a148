"""Scale (issue 15): a professional's clients list asks, client by client, whether the client has a session
with them. With an index on (client, professional) that is one index probe; with the client's and the
professional's indexes apart, SQLite may pick the professional's and read all their sessions for each client.
"""


def up(migrator, db):
    migrator.migrate(migrator.add_index("appointment", ("client_id", "professional_id"), False))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("appointment", "appointment_client_id_professional_id"))
