"""Confidentiality: encryption keys, accounts and roles, audit log, secrets, backups."""
