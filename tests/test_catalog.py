"""locales/messages.pot holds every translatable string in the code and templates (`make messages`)."""
import os
import subprocess
import sys

from babel.messages.pofile import read_po

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def msgids(path):
    with open(path, "rb") as f:
        return {message.id if isinstance(message.id, str) else message.id[0] for message in read_po(f) if message.id}


def test_template_is_up_to_date_with_the_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "--no-location", "--omit-header", "-o", str(fresh), "."],
                   cwd=ROOT, check=True)
    shipped = msgids(os.path.join(ROOT, "locales", "messages.pot"))
    current = msgids(fresh)
    assert not current - shipped, f"run `make messages`: new strings {sorted(current - shipped)[:5]}"
    assert not shipped - current, f"run `make messages`: stale strings {sorted(shipped - current)[:5]}"
