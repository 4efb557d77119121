"""The account pages: signing in, user profiles and lists."""
