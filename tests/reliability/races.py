"""Run calendar changes at the same moment, each in its own thread and app context, as two people
pressing their buttons together would."""

import threading
import traceback

import pytest
from frontdesk import booking
from frontdesk.db import database

from tests.processes import DEADLINE


def race(app, *actions):
    """Run the actions in threads of their own, released together; their outcomes in order: "done", or the
    code of the BookingError an action was refused with. Any other exception (a deadlock, a bug) fails the
    test with its traceback instead of passing for an outcome."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)
    unexpected = []

    def run(index, action):
        with app.app_context():
            database.connect(reuse_if_open=True)
            try:
                barrier.wait()
                action()
                outcomes[index] = "done"
            except booking.BookingError as error:
                outcomes[index] = error.code
            except Exception:  # noqa: BLE001  (reported below, in the test's own thread)
                unexpected.append(traceback.format_exc())
            finally:
                database.close()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(DEADLINE)
    assert not any(thread.is_alive() for thread in threads), f"an action did not finish in {DEADLINE} s"
    if unexpected:
        pytest.fail("an action failed unexpectedly:\n" + "\n".join(unexpected))
    return outcomes
