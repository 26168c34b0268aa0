"""Proposal pages, split by audience: ``public`` (anyone), ``drafts`` (the author writing),
``case`` (the committee and the author moving the case, the dialogue, the inbox)."""
