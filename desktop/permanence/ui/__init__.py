"""The PySide6 front end: windows and feature widgets over `permanence.core`."""
