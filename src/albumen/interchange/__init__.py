"""Metadata in and out: XMP sidecars and embedded metadata on export, imports from other
systems (Google Takeout, PhotoPrism, Immich)."""
