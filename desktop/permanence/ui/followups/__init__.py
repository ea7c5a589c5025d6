"""Follow-ups (rappels et promesses) to do, with their due time."""

from permanence.ui.followups.view import FollowUpsView

__all__ = ["FollowUpsView"]
