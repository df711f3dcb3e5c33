"""Plain HTTP against the gunicorn on loopback: log in through the form, check a page, time
the export. Cookies are handled by hand: with DEBUG off the app marks them Secure, which a
cookie jar would rightly refuse to send over http, and the harness must keep production
settings.
"""

from __future__ import annotations

import http.client
import json
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class PageError(RuntimeError):
    pass


def _cookies(response) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def _request(port, method, path, *, headers=None, body=None, timeout=120):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
        return response, content
    finally:
        connection.close()


def login(port: int, username: str, password: str) -> str:
    """Log in through the login form (GET for the CSRF token, POST); return the session id."""
    response, content = _request(port, "GET", "/accounts/login/")
    csrf_cookie = _cookies(response).get("csrftoken")
    match = TOKEN.search(content)
    if response.status != 200 or not csrf_cookie or not match:
        raise PageError(f"login form for {username}: {response.status}, no CSRF token")
    body = urlencode(
        {
            "csrfmiddlewaretoken": match.group(1).decode(),
            "username": username,
            "password": password,
        }
    )
    response, _ = _request(
        port,
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
        },
    )
    session = _cookies(response).get("sessionid")
    if response.status != 302 or not session:
        raise PageError(f"login as {username}: {response.status} without a session cookie")
    return session


def check(port: int, path: str, session: str) -> int:
    """GET `path` once; it must answer 200 itself (a redirect to the login is a failure that
    wrk would count as a success). Returns the response's size in bytes."""
    response, content = _request(port, "GET", path, headers={"Cookie": f"sessionid={session}"})
    if response.status != 200:
        location = response.getheader("Location")
        where = f" → {location}" if location else ""
        raise PageError(f"GET {path} answered {response.status}{where}")
    return len(content)


def get_json(port: int, path: str) -> dict:
    """GET `path` without a session; it must answer 200 with JSON."""
    response, content = _request(port, "GET", path)
    if response.status != 200:
        raise PageError(f"GET {path} answered {response.status}")
    return json.loads(content)


@dataclass
class Download:
    first_byte: float  # seconds from sending the request to the first byte of the body
    total: float  # seconds to the last byte
    size: int


def single(port: int, path: str, session: str) -> float:
    """Seconds for one GET of `path` alone, as a browser's first request or `curl` would
    see it: a new connection, the request, the whole body."""
    start = time.perf_counter()
    response, _ = _request(port, "GET", path, headers={"Cookie": f"sessionid={session}"})
    elapsed = time.perf_counter() - start
    if response.status != 200:
        raise PageError(f"GET {path} answered {response.status}")
    return elapsed


def download(port: int, path: str, session: str) -> Download:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        start = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": f"sessionid={session}"})
        response = connection.getresponse()
        first = response.read(1)
        first_byte = time.perf_counter() - start
        rest = response.read()
        total = time.perf_counter() - start
    finally:
        connection.close()
    if response.status != 200:
        raise PageError(f"GET {path} answered {response.status}")
    return Download(first_byte, total, len(first) + len(rest))
