"""Users, sign-in and the audit log."""
