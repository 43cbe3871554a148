"""What each role of a clinic's team may do: the one table, in plain Python (no Flask).

Every workstation endpoint names the capability it needs in ENDPOINTS; the role sweep test fails on an
endpoint missing from it, so a new page cannot be reached by a role nobody decided on. What a
professional may see is narrower again: their own calendar, clients, charges and the requests addressed
to them or to the clinic (`sees_whole_clinic`); the domain queries scope by that.
"""

from .states import Role

# Capabilities: the words of the table below.
WORK = "work"  # requests, calendar, clients, booking (a professional: their own)
OWN_HOURS = "own_hours"  # their own working hours, time off and hub mode
READ_SETTINGS = "read_settings"  # the settings pages, read-only
SETTINGS = "settings"  # change the clinic's settings and policy
TEAM = "team"  # invite, change roles, deactivate, set a colleague's hours
CHARGES = "charges"  # see and decide charges (a professional: their own)
ACCOUNT = "account"  # sign out
PUBLIC = None  # no sign-in needed

CAPABILITIES = {
    Role.OWNER: {WORK, OWN_HOURS, READ_SETTINGS, SETTINGS, TEAM, CHARGES, ACCOUNT},
    Role.PROFESSIONAL: {WORK, OWN_HOURS, READ_SETTINGS, CHARGES, ACCOUNT},
    Role.FRONT_DESK: {WORK, ACCOUNT},
}

# The workstation's endpoints and the capability each needs (by method, where a page also takes a form).
ENDPOINTS = {
    "workstation.login": PUBLIC,
    "workstation.invitation": PUBLIC,
    "workstation.logout": ACCOUNT,
    "workstation.profile": ACCOUNT,
    "workstation.home": ACCOUNT,
    "workstation.requests": WORK,
    "workstation.request_detail": WORK,
    "workstation.accept_request": WORK,
    "workstation.decline_request": WORK,
    "workstation.sessions": WORK,
    "workstation.session_detail": WORK,
    "workstation.cancel_session": WORK,
    "workstation.cancel_following": WORK,
    "workstation.reschedule_session": WORK,
    "workstation.save_session_place": WORK,
    "workstation.mark_no_show": WORK,
    "workstation.clients": WORK,
    "workstation.client_detail": WORK,
    "workstation.book_session": WORK,
    "workstation.preview_series": WORK,
    "workstation.book_series": WORK,
    "workstation.charge_list": CHARGES,
    "workstation.charge_export": CHARGES,
    "workstation.decide_charge": CHARGES,
    "workstation.availability": OWN_HOURS,
    "workstation.save_hours": OWN_HOURS,
    "workstation.add_time_off": OWN_HOURS,
    "workstation.delete_time_off": OWN_HOURS,
    "workstation.save_hub_mode": OWN_HOURS,
    "workstation.save_video_link": OWN_HOURS,
    "workstation.add_external_calendar": OWN_HOURS,
    "workstation.remove_external_calendar": OWN_HOURS,
    "workstation.save_policy": SETTINGS,
    "workstation.client_access": READ_SETTINGS,
    "workstation.save_websites": SETTINGS,
    "workstation.toggle_requests": SETTINGS,
    "workstation.rotate_link": SETTINGS,
    "workstation.save_terms": SETTINGS,
    "workstation.save_requirements": SETTINGS,
    "workstation.add_question": SETTINGS,
    "workstation.move_question": SETTINGS,
    "workstation.delete_question": SETTINGS,
    "workstation.services": {"GET": READ_SETTINGS, "POST": SETTINGS},
    "workstation.archive_service": SETTINGS,
    "workstation.languages": READ_SETTINGS,
    "workstation.save_languages": SETTINGS,
    "workstation.team_page": TEAM,
    "workstation.invite_member": TEAM,
    "workstation.resend_invitation": TEAM,
    "workstation.revoke_invitation": TEAM,
    "workstation.change_role": TEAM,
    "workstation.deactivate_member": TEAM,
    "workstation.reactivate_member": TEAM,
    "workstation.reassign_session": TEAM,
    "workstation.save_team_policy": TEAM,
    # A member's own account (server/accounts.py): signing in, resetting, two-step sign-in.
    "workstation.forgot_password": PUBLIC,
    "workstation.reset_password": PUBLIC,
    "workstation.login_code": PUBLIC,
    "workstation.account": ACCOUNT,
    "workstation.change_password": ACCOUNT,
    "workstation.sign_out_everywhere": ACCOUNT,
    "workstation.two_factor_setup": ACCOUNT,
    "workstation.two_factor_off": ACCOUNT,
    "workstation.require_two_factor": SETTINGS,
    # Clients, and what a public form said that differs from a client's record.
    "workstation.add_client": WORK,
    "workstation.edit_client": WORK,
    "workstation.archive_client": WORK,
    "workstation.search_clients": WORK,
    "workstation.apply_request_details": WORK,
    "workstation.apply_session_details": WORK,
    # Wellbeing Hubs: the owner runs them; each member sets their own mode and languages.
    "workstation.hub_list": READ_SETTINGS,
    "workstation.hub_detail": READ_SETTINGS,
    "workstation.create_hub": SETTINGS,
    "workstation.rename_hub": SETTINGS,
    "workstation.close_hub": SETTINGS,
    "workstation.rotate_hub_link": SETTINGS,
    "workstation.add_hub_member": SETTINGS,
    "workstation.remove_hub_member": SETTINGS,
    "workstation.set_hub_member_mode": OWN_HOURS,
    "workstation.save_professional_languages": OWN_HOURS,
    "workstation.rotate_booking_link": OWN_HOURS,
    # The clinic's details, services and each professional's rules for online booking.
    "workstation.clinic_details": READ_SETTINGS,
    "workstation.save_clinic_details": SETTINGS,
    "workstation.service_detail": READ_SETTINGS,
    "workstation.save_service": SETTINGS,
    "workstation.unretire_service": SETTINGS,
    "workstation.save_booking_rules": OWN_HOURS,
    # Privacy: the clinic's data duties and a client's rights are the owner's.
    "workstation.privacy_overview": SETTINGS,
    "workstation.save_retention": SETTINGS,
    "workstation.save_sender": SETTINGS,
    "workstation.save_holds": SETTINGS,
    "workstation.save_notice": SETTINGS,
    "workstation.audit_log": SETTINGS,
    "workstation.export_client": SETTINGS,
    "workstation.erase_client": SETTINGS,
    # Settings → Calendar: the clinic's reminders (owner); each professional's agenda and subscription.
    "workstation.calendar_settings": OWN_HOURS,
    "workstation.save_reminders": SETTINGS,
    "workstation.save_agenda": OWN_HOURS,
    "workstation.save_feed_names": OWN_HOURS,
    "workstation.replace_feed": OWN_HOURS,
}


# Why a team change was refused: refusals.TEAM says it to the person.
LAST_OWNER = "last_owner"
ALREADY_MEMBER = "already_member"
ALREADY_INVITED = "already_invited"
NOT_A_ROLE = "not_a_role"
INVITATION_INVALID = "invitation_invalid"
INVITATION_EXPIRED = "invitation_expired"
INVITATION_USED = "invitation_used"
INVITATION_REVOKED = "invitation_revoked"
NOT_FREE = "not_free"


class UnknownEndpoint(LookupError):
    """A workstation endpoint nobody has put in ENDPOINTS: refused until someone decides who may use it."""


def needs(endpoint, method="GET"):
    """The capability an endpoint needs (PUBLIC: none); UnknownEndpoint for one missing from the table."""
    try:
        capability = ENDPOINTS[endpoint]
    except KeyError:
        raise UnknownEndpoint(endpoint) from None
    if isinstance(capability, dict):
        return capability.get("GET" if method == "HEAD" else method, SETTINGS)
    return capability


def may(role, capability, front_desk_decides_charges=False):
    """Whether a member with this role has this capability at a clinic (whose owner may let the front
    desk decide charges)."""
    if capability is PUBLIC:
        return True
    if capability == CHARGES and role == Role.FRONT_DESK and front_desk_decides_charges:
        return True
    return capability in CAPABILITIES.get(role, set())


def sees_whole_clinic(role):
    """Owner and front desk see every calendar, client and request; a professional only their own."""
    return role in (Role.OWNER, Role.FRONT_DESK)


def may_change_role(acting_role, active_owners, target_role, new_role):
    """Whether a role change (or, with new_role None, a deactivation) leaves the clinic with an owner."""
    if acting_role != Role.OWNER:
        return False
    return not (target_role == Role.OWNER and new_role != Role.OWNER and active_owners <= 1)
