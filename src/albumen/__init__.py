"""albumen: a self-hosted photo platform."""

__version__ = "0.1.0"
