"""The signed-in user's own pages, and signing in."""
