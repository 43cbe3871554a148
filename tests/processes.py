"""The processes a test starts, and waits on conditions instead of fixed sleeps.

CI machines are shared, so every wait has a generous deadline and ends as soon as its condition holds; and
every process is started in a group of its own and killed with that group when the test ends, pass or fail,
so a failed set-up never leaves a server running.
"""

import os
import signal
import subprocess
import time

# Long enough for a busy machine; a wait that succeeds ends as soon as its condition holds.
DEADLINE = 60


def wait_until(condition, timeout=DEADLINE, interval=0.05, message="the condition never held"):
    """Call `condition` until it returns something true, and return that; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        outcome = condition()
        if outcome:
            return outcome
        assert time.monotonic() < deadline, f"{message} (waited {timeout} s)"
        time.sleep(interval)


def children(pid):
    """The ids of a process's children (none once it has gone)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(child) for child in f.read().split()]
    except FileNotFoundError:
        return []


def command_line(pid):
    with open(f"/proc/{pid}/cmdline") as f:
        return f.read().replace("\0", " ")


def alive(pid):
    """Whether a process is running (a zombie that only waits to be reaped is not)."""
    try:
        os.kill(pid, 0)
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except (ProcessLookupError, FileNotFoundError):
        return False


class Processes:
    """Starts processes, each leading a process group of its own, and kills every group at the end."""

    def __init__(self):
        self.started = []

    def start(self, args, **options):
        process = subprocess.Popen(args, start_new_session=True, **options)
        self.started.append(process)
        return process

    def stop_all(self):
        """SIGKILL every group, including children that outlived their parent, and reap the parents."""
        for process in self.started:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(DEADLINE)
