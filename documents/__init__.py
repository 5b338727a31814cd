"""Private documents: how every app checks, stores and serves uploads and generated files.

Not a Django app (no models): each app keeps its own FileField on ``private_storage`` plus the
original file name, and serves the file through its own permission-checked view.
"""
