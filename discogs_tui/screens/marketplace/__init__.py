"""The marketplace pages: the seller's inventory, a listing, the listing form, orders."""
