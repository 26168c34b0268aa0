"""The agreements' admin (one module per screen; filled in by the admin work)."""
