"""`make loadtest`'s and `make bench`'s memory figures: a process's own pages apart from the
pages it shares (a gunicorn worker shares the privacy guard's word lists with the master)."""

import os
import time

from loadtest.server import OwnMemorySampler, memory_mb


def test_own_and_shared_pages_add_up_to_the_resident_set():
    memory = memory_mb(os.getpid())
    assert memory["own"] > 0 and memory["shared"] >= 0
    assert abs(memory["own"] + memory["shared"] - memory["rss"]) < 0.01
    assert memory["pss"] <= memory["rss"]


def test_the_sampler_sees_a_peak_that_is_gone_when_it_stops():
    before = memory_mb(os.getpid())["own"]
    with OwnMemorySampler([os.getpid()], interval=0.005) as sampler:
        block = bytearray(80 * 1024 * 1024)  # 80 MB, written: private pages
        for i in range(0, len(block), 4096):
            block[i] = 1
        time.sleep(0.05)  # a few samples while it is there
        del block
    assert sampler.peak_mb - before > 70
    assert memory_mb(os.getpid())["own"] < sampler.peak_mb - 70
