"""Permanence: a desktop answering tool for an independent telesecretary."""

__version__ = "0.1.0"
