"""Screens of confidentiality: login, first run, lock, accounts, audit, personal data."""
