"""The worker process: runs the queue's jobs, heartbeats, guards its memory."""
