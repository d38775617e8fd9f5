"""Secrets, password hashing and rate limiting: the primitives the account services use."""
