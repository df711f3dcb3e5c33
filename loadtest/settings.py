"""The production settings, with the two things only a load test needs.

- STATIC_ROOT in a throwaway folder, so `collectstatic` runs with the production storage
  (WhiteNoise's compressed manifest) without touching the checkout's `staticfiles/`.
- The URLconf of `make bench`: the app's URLs plus the trivial view that is the floor.

Everything else (DEBUG off, secure cookies, security headers, the database) comes from
spiegel.settings and the environment the harness sets.
"""

import os

from spiegel.settings import *  # noqa: F403 - the production settings, unchanged

STATIC_ROOT = os.environ["LOADTEST_STATIC_ROOT"]
ROOT_URLCONF = "bench.urls"
