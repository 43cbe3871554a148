"""The message catalogs: locales/messages.pot holds every translatable string in the code and
templates (`make messages`), and every shipped language translates all of them, placeholders intact."""

import glob
import os
import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def msgids(path):
    """(context, msgid) of every entry: one English word with two contexts is two strings to translate."""
    with open(path, "rb") as f:
        return {
            (message.context, message.id if isinstance(message.id, str) else message.id[0])
            for message in read_po(f)
            if message.id
        }


def test_template_is_up_to_date_with_the_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "lazy_pgettext:1c,2",
            "--no-location",
            "--omit-header",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    shipped = msgids(os.path.join(ROOT, "locales", "messages.pot"))
    current = msgids(fresh)
    assert not current - shipped, f"run `make messages`: new strings {sorted(current - shipped, key=str)[:5]}"
    assert not shipped - current, f"run `make messages`: stale strings {sorted(shipped - current, key=str)[:5]}"


SHIPPED = sorted(glob.glob(os.path.join(ROOT, "locales", "*", "LC_MESSAGES", "messages.po")))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def read_catalog(path):
    with open(path, "rb") as f:
        return read_po(f)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.split(os.sep)[-3])
def test_every_shipped_catalog_is_complete_and_keeps_its_placeholders(path):
    catalog = read_catalog(path)
    shipped = msgids(os.path.join(ROOT, "locales", "messages.pot"))
    ids = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}
    assert shipped <= ids, f"run `make messages`: {sorted(shipped - ids, key=str)[:5]} missing"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(forms):
            problems.append(("untranslated or fuzzy", message.id))
            continue
        source = message.id if isinstance(message.id, str) else message.id[1]
        for form in forms:
            # A plural form for exactly zero, one or two may say the number in words.
            expected = set(PLACEHOLDER.findall(source)) - ({"num"} if isinstance(message.id, tuple) else set())
            found = set(PLACEHOLDER.findall(form))
            if not expected <= found or not found <= set(PLACEHOLDER.findall(source)):
                problems.append(("placeholders differ", message.id, form))
        problems.extend(("babel check", message.id, str(error)) for error in message.check(catalog))
    assert not problems, problems[:5]
