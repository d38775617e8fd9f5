"""Documents: what their text says (language, keywords, summary) and which category
they are in, learned from the user."""
