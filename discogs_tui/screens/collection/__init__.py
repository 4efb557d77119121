"""The collection and wantlist pages."""
