"""An account's names pose as nobody of the team (the rule: notrecontinent.reserved).

Checked on a citizen's display name, username and full name, at sign-up, in the profile
and in the admin; staff accounts may take these names: they are the team.
"""

from django.core.exceptions import ValidationError

from notrecontinent.reserved import RESERVED_MESSAGE, poses_as_team


def validate_citizen_name(name):
    if name and poses_as_team(name):
        raise ValidationError(RESERVED_MESSAGE, code="reserved_name")
