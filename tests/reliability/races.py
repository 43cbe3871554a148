"""Run calendar changes at the same moment, each in its own thread and app context, as two people
pressing their buttons together would."""
import threading

from frontdesk import booking
from frontdesk.db import database


def race(app, *actions):
    """Run the actions in threads of their own, released together; their outcomes in order."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        with app.app_context():
            database.connect(reuse_if_open=True)
            try:
                barrier.wait()
                action()
                outcomes[index] = "done"
            except booking.BookingError as error:
                outcomes[index] = error.code
            except Exception as error:  # noqa: BLE001  (a deadlock or any other failure is the outcome)
                outcomes[index] = f"{type(error).__name__}: {error}"
            finally:
                database.close()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes
