"""A local Discogs-compatible server with a bundled CC0 dataset. Never imports textual."""
