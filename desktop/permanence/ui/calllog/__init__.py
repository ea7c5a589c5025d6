"""The call log ("cahier d'appels"): every call with its outcome and billing class."""

from permanence.ui.calllog.view import CallLogView

__all__ = ["CallLogView"]
