"""On-device models: one small runtime (lazy, thread-safe, batched, unloaded when idle) and the
models built on it (faces, places, ...)."""
