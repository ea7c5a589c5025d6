"""The Qt-free engine of Permanence: domain, storage, triage, agenda, calendars.

Nothing in this package may import PySide6 or `permanence.ui` (checked by the test suite).
"""
