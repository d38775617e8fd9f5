"""Finding photos for people: recommendations from the engagement log, memories."""
