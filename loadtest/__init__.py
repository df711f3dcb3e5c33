"""`make loadtest`: the main pages under a real load generator, beside a floor.

See loadtest/README.md for what the figures mean; `python -m loadtest` runs it.
"""
