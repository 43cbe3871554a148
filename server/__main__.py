"""`python -m frontdesk`: the `frontdesk` command."""

from .cli import main

main(prog_name="frontdesk")
