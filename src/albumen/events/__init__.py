"""Events and what guests see of them: share links, access, comments and downloads."""
