"""The navigator of practices and practitioners, with type-ahead."""

from permanence.ui.navigator.widget import NavigatorWidget

__all__ = ["NavigatorWidget"]
