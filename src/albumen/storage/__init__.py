"""Storage of originals and derivatives behind one small interface."""

from albumen.storage.base import StagedFile, Storage
from albumen.storage.factory import storage_for, storage_from_url

__all__ = ["StagedFile", "Storage", "storage_for", "storage_from_url"]
