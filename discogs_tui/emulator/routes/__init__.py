"""The emulator's endpoints, one module per area of the API (the marketplace is a package of
listings, orders, prices and inventory jobs), and the helpers they share in :mod:`.helpers`."""
