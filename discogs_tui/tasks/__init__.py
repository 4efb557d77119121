"""Work that outlives a keypress, without a user interface: walking a whole collection or
inventory, CSV export, bulk listing edits and their on-disk journal.

The command line and the app both drive these; they never import textual, and report
progress through plain callbacks.
"""
