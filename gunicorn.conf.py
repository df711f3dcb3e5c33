"""gunicorn's settings for Spiegel. gunicorn reads this file from its working directory, the
project root: deploy/systemd/spiegel-web.service, README's command and `make loadtest` all
start it there. Their command lines set the bind address and the number of workers.

The privacy guard's detector (Deduce, findings/privacy.py) is ~1 GB of word lists and takes
~5 s to load. A worker used to load it on its first check, so each worker held its own
gigabyte (3 workers after a day's use: 3 GB), and the first debrief save on each worker
waited seconds for it. Now the master loads it once before it forks the workers, and the
workers share its pages. `deduce_instance()` freezes those objects (`gc.freeze`), so no
garbage collection writes to them. A worker copies a page only when it changes a reference
count on it. `BENCH_ONLY=workers make bench` (3 workers): a worker's own memory 1,045 MB
without this file and 52 MB with it; its first check 10 s and 0.1 s; all processes together
3.2 GB and 1.2 GB.
"""

# The app, and with it Django, is imported in the master; the workers are forks of it.
preload_app = True


def on_starting(server):
    """Load the privacy guard's detector in the master, before any worker is forked. No
    database connection may cross the fork (the workers would share its socket): none is
    opened by loading the app or Deduce, and any that were are closed here."""
    from django.db import connections

    from findings.privacy import deduce_instance

    deduce_instance()
    connections.close_all()
