"""The roles table (server/roles.py): what each role may do, table by table, and that it stays plain Python."""

import ast
import inspect

import pytest
from frontdesk import roles

OWN, P, F = "owner", "professional", "front_desk"


@pytest.mark.parametrize(
    "capability, owner, professional, front_desk",
    [
        (roles.WORK, True, True, True),
        (roles.OWN_HOURS, True, True, False),
        (roles.READ_SETTINGS, True, True, False),
        (roles.SETTINGS, True, False, False),
        (roles.TEAM, True, False, False),
        (roles.CHARGES, True, True, False),
        (roles.ACCOUNT, True, True, True),
        (roles.PUBLIC, True, True, True),
    ],
)
def test_what_each_role_may_do(capability, owner, professional, front_desk):
    assert [roles.may(role, capability) for role in (OWN, P, F)] == [owner, professional, front_desk]


@pytest.mark.parametrize("capability, allowed", [(roles.CHARGES, True), (roles.SETTINGS, False), (roles.TEAM, False)])
def test_the_owner_may_let_the_front_desk_decide_charges_and_nothing_more(capability, allowed):
    assert roles.may(F, capability, front_desk_decides_charges=True) is allowed


def test_an_unknown_role_may_do_nothing_but_public_things():
    assert not roles.may("wizard", roles.WORK)
    assert roles.may("wizard", roles.PUBLIC)


@pytest.mark.parametrize(
    "acting, owners, target, new, allowed",
    [
        (OWN, 1, OWN, P, False),  # the last owner keeps the role
        (OWN, 1, OWN, None, False),  # and cannot be deactivated
        (OWN, 2, OWN, F, True),
        (OWN, 1, P, OWN, True),
        (OWN, 1, OWN, OWN, True),
        (P, 2, P, OWN, False),  # only an owner changes roles
        (F, 2, P, None, False),
    ],
)
def test_a_role_change_leaves_the_clinic_an_owner(acting, owners, target, new, allowed):
    assert roles.may_change_role(acting, owners, target, new) is allowed


@pytest.mark.parametrize("role, whole", [(OWN, True), (F, True), (P, False)])
def test_who_sees_the_whole_clinic(role, whole):
    assert roles.sees_whole_clinic(role) is whole


def test_a_page_and_its_form_may_need_different_capabilities():
    assert roles.needs("workstation.services", "GET") == roles.READ_SETTINGS
    assert roles.needs("workstation.services", "POST") == roles.SETTINGS
    with pytest.raises(roles.UnknownEndpoint):
        roles.needs("workstation.nowhere")


def test_the_roles_never_import_flask_or_the_database():
    tree = ast.parse(inspect.getsource(roles))
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    imported |= {
        node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not imported & {"flask", "peewee", "frontdesk"}
