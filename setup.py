"""The one build step setuptools cannot express in pyproject.toml: compiling locales/*.po into the .mo
catalogs that ship in the wheel. They stay out of git; a checkout compiles its own with `make`."""

import glob
import os

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogs(build_py):
    """build_py, then every locales/<lang>/LC_MESSAGES/messages.po compiled beside its copy in the build."""

    def run(self):
        super().run()
        if self.editable_mode:
            return
        for source in glob.glob(os.path.join("locales", "*", "LC_MESSAGES", "messages.po")):
            target = os.path.join(self.build_lib, "frontdesk", source[: -len(".po")] + ".mo")
            with open(source, "rb") as po:
                catalog = read_po(po)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as mo:
                write_mo(mo, catalog)


setup(cmdclass={"build_py": BuildWithCatalogs})
