"""Workflows of the participants app: the client panel (panel.py), organisations and their
members (organisations.py)."""

from participants.services.panel import add_panel_member, purge_contacts, update_panel_member

__all__ = ["add_panel_member", "purge_contacts", "update_panel_member"]
