"""Where widget/, embed_snippets/ and locales/ are: inside the package in an install from a wheel (the
build maps them there), beside it in a checkout, where they stay at the top of the repository."""

import os

PACKAGE = os.path.dirname(os.path.abspath(__file__))


def directory(name):
    """The folder `name` (widget, embed_snippets or locales) wherever this copy of the code has it."""
    inside = os.path.join(PACKAGE, name)
    return inside if os.path.isdir(inside) else os.path.join(os.path.dirname(PACKAGE), name)
