"""A small HTTPS client for the rehearsal: cookies, forms, uploads, and a chosen source
address, the way a browser on another machine would reach nginx.

`via` names where a request goes: "proxy" (nginx's public port, which balances the two
app hosts), or "a" / "b" (nginx ports pinned to one host, for the tests only).
"""

import http.client
import re
import secrets
from dataclasses import dataclass
from html import unescape
from http.cookies import SimpleCookie

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self):
        return self.headers.get("Location", "")


def hidden_value(html, name):
    """The value of the form input called `name` in `html`."""
    tag = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', html)
    assert tag, f"no input {name!r} in the page"
    return unescape(re.search(r'\bvalue="([^"]*)"', tag.group(0)).group(1))


def multipart(fields, files):
    boundary = secrets.token_hex(16)
    chunks = []
    for name, value in fields.items():
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode()
            + b"\r\n"
        )
    for name, (filename, content, content_type) in files.items():
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


class Browser:
    def __init__(self, cluster, *, source="127.0.0.1", user_agent=FIREFOX):
        self.cluster = cluster
        self.source = source
        self.user_agent = user_agent
        self.cookies = {}
        self.context = cluster.tls_context()

    def port(self, via):
        if via == "proxy":
            return self.cluster.ports.https
        return self.cluster.ports.pinned[via]

    def origin(self, via):
        return f"https://127.0.0.1:{self.port(via)}"

    def get(self, path, *, via="proxy", headers=None):
        return self.request("GET", path, via=via, headers=headers)

    def post(self, path, data, *, files=None, via="proxy", headers=None):
        if files:
            body, content_type = multipart(data, files)
        else:
            from urllib.parse import urlencode

            body, content_type = urlencode(data).encode(), "application/x-www-form-urlencoded"
        # What a browser sends with a form: its origin and the page it came from.
        sent = {
            "Content-Type": content_type,
            "Origin": self.origin(via),
            "Referer": self.origin(via) + path,
            **(headers or {}),
        }
        return self.request("POST", path, via=via, body=body, headers=sent)

    def request(self, method, path, *, via="proxy", body=None, headers=None):
        connection = http.client.HTTPSConnection(
            "127.0.0.1",
            self.port(via),
            context=self.context,
            source_address=(self.source, 0),
            timeout=60,
        )
        sent = {"User-Agent": self.user_agent, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            result = Response(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in result.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return result

    def csrf(self, html):
        return hidden_value(html, "csrfmiddlewaretoken")
