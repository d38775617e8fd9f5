"""Keeping an installation healthy: backup, restore, verify, copying between databases and
storages, maintenance, requeueing work (reconciler) and the models' state."""
