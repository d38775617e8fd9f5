"""Outgoing webhooks: who hears what, signed deliveries with retries, the delivery log."""
