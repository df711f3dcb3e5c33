"""No client text leaves the machine: the theme suggester and the privacy guard run with the
network blocked (issue 13). Every way out through Python's socket module raises; the modules
must give their answers all the same."""

import socket

import pytest


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise NetworkUsed(f"network call: {args!r}")

    for name in ("connect", "connect_ex", "sendto", "sendmsg", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)
    with pytest.raises(NetworkUsed):  # the block itself works
        socket.create_connection(("example.org", 80))
    return refuse


def test_the_theme_suggester_works_with_the_network_blocked(no_network):
    from findings.themes import suggest

    result = suggest(
        [
            (1, "Niemand belde mij terug."),
            (2, "De scootmobiel was kapot."),
            (3, "Scootmobiel stuk."),
        ],
        [("Ik werd nooit teruggebeld.", 10), ("De brief was onleesbaar.", 20)],
        names={10: "Bereikbaarheid", 20: "Brieven"},
    )
    assert result.suggestions[1].best == 10
    assert result.groups and sorted(result.groups[0].finding_ids) == [2, 3]


def test_the_privacy_guard_works_with_the_network_blocked(no_network):
    from findings.privacy import detect

    kinds = {
        span.kind for span in detect("Bel mevrouw Jansen op 06-12345678 of mail j@example.nl.")
    }
    assert {"name", "phone", "email"} <= kinds
