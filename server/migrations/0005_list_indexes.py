"""Scale (issue 6): indexes that keep the workstation's pages as fast with a long history as with a short one.

The clients list reads one page in name order; free slots and the calendar's upcoming sessions read the
sessions that have not ended yet, by their end.
"""


def up(migrator, db):
    migrator.migrate(
        migrator.add_index("client", ("clinic_id", "status", "name", "id"), False),
        migrator.add_index("appointment", ("professional_id", "status", "ends_at"), False),
        migrator.add_index("appointment", ("clinic_id", "status", "ends_at"), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("appointment", "appointment_clinic_id_status_ends_at"),
        migrator.drop_index("appointment", "appointment_professional_id_status_ends_at"),
        migrator.drop_index("client", "client_clinic_id_status_name_id"),
    )
