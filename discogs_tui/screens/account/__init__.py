"""The account pages: user profiles and lists."""
