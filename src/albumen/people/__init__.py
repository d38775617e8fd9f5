"""People: faces grouped into persons, their names, and guests' selfie search."""
