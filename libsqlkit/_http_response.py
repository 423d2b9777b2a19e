"""HTTP/1.1 responses read from bytes, with no I/O of its own (sans-I/O).

Both transports feed it what they receive, the sync one from a socket and the async one
from asyncio streams, so the protocol is parsed, bounded and refused in one place. It
knows the three ways a body ends (a `Content-Length`, chunks, the server closing), skips
interim 1xx responses, and says whether the connection may carry the next request: not
after `Connection: close`, HTTP/1.0, a body that ran until the close, or bytes beyond the
response that nobody asked for.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_HEADER_BYTES",
    "Closed",
    "Malformed",
    "Response",
    "ResponseReader",
]

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 256 * 1024 * 1024  # sqld refuses responses over 10 MB; a bound all the same

_STATUS_LINE = re.compile(rb"HTTP/1\.([01]) ([1-9][0-9][0-9])(?: [^\r\n]*)?")
_HEADER_NAME = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_DIGITS = re.compile(rb"[0-9]{1,19}")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?")


class Closed(Exception):
    """The server closed the connection before a whole response came (on a kept-alive
    connection, perhaps while it was idle)."""


class Malformed(Exception):
    """Bytes that are not an HTTP/1.1 response, or one past the bounds."""


class Response(NamedTuple):
    status: int
    body: bytes
    keep: bool  # the connection may carry the next request


# What the reader waits for next.
_HEAD, _LENGTH, _CHUNK_SIZE_LINE, _CHUNK_DATA, _TRAILER, _UNTIL_CLOSE = range(6)


class ResponseReader:
    """One response: `feed` it every read, `b""` once the server has closed; it returns
    the response when whole, `None` while more is needed, or raises `Malformed` or
    `Closed`."""

    __slots__ = (
        "_buffer",
        "_chunks",
        "_extra",
        "_keep",
        "_length",
        "_pos",
        "_received",
        "_scan",
        "_state",
        "_status",
        "_total",
    )

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._pos = 0  # where the unparsed bytes start in the buffer
        self._state = _HEAD
        self._received = False
        self._status = 0
        self._keep = False
        self._length = 0  # the body's, or the current chunk's, bytes still to come
        self._chunks = bytearray()  # the chunks' data so far, in one piece
        self._total = 0  # the chunks' bytes so far
        self._extra = 0  # the bytes of chunk extensions and trailers so far
        self._scan = 0  # where the search for the end of a chunked framing line resumes

    def feed(self, data: bytes) -> Response | None:
        if not data:
            return self._closed()
        self._received = True
        self._buffer += data
        if self._state == _HEAD:
            # Only the new bytes, and the three before them, can complete the blank line.
            return self._head(max(self._pos, len(self._buffer) - len(data) - 3))
        return self._body()

    def _head(self, scanned: int) -> Response | None:
        while True:
            end = self._buffer.find(b"\r\n\r\n", scanned)
            # Every head so far counts, interim ones included: a server that sends
            # nothing but 1xx responses is refused, not buffered without end.
            if (len(self._buffer) if end < 0 else end) > MAX_HEADER_BYTES:
                raise Malformed("the server sent a malformed response (headers too long)")
            if end < 0:
                return None
            headers = self._status_and_headers(end)
            if headers is not None:
                return self._framing(headers)
            scanned = self._pos

    def _status_and_headers(self, end: int) -> dict[bytes, bytes] | None:
        """The headers of the head that ends at `end`; None for an interim (1xx) one."""
        lines = bytes(self._buffer[self._pos : end]).split(b"\r\n")
        self._pos = end + 4
        status_line = _STATUS_LINE.fullmatch(lines[0])
        if status_line is None:
            raise Malformed(f"the server sent a malformed status line: {lines[0][:80]!r}")
        status = int(status_line[2])
        headers: dict[bytes, bytes] = {}
        for line in lines[1:]:
            name, colon, value = line.partition(b":")
            if not colon or _HEADER_NAME.fullmatch(name) is None:
                raise Malformed(f"the server sent a malformed header line: {line[:80]!r}")
            name = name.lower()
            value = value.strip(b" \t")
            if name in headers:
                if name == b"content-length":
                    if headers[name] != value:
                        raise Malformed("the server sent two different Content-Length headers")
                    continue
                value = headers[name] + b", " + value
            headers[name] = value
        if status == 101:
            raise Malformed("the server switched protocols, which nobody asked it to")
        if 100 <= status < 200:  # an interim response; the real one follows
            return None
        self._status = status
        tokens = {token.strip() for token in headers.get(b"connection", b"").lower().split(b",")}
        self._keep = status_line[1] == b"1" and b"close" not in tokens
        return headers

    def _framing(self, headers: dict[bytes, bytes]) -> Response | None:
        """How the body ends (RFC 9112 6.3). The request asks for no coding (`Accept-Encoding:
        identity`), so a body in any coding but chunked is refused, not misread as JSON."""
        coding = headers.get(b"transfer-encoding")
        if self._status in (204, 304):  # no body, whatever the headers say
            self._state, self._length = _LENGTH, 0
            self._keep = self._keep and coding is None
            return self._body()
        content_coding = headers.get(b"content-encoding", b"identity").strip().lower()
        if content_coding != b"identity":
            raise Malformed(
                f"the server sent a body in a coding not asked for: {content_coding[:80]!r}"
            )
        if coding is not None:
            codings = [name.strip() for name in coding.lower().split(b",")]
            if codings[-1] != b"chunked" or any(name != b"identity" for name in codings[:-1]):
                raise Malformed(
                    f"the server sent a body in a coding not asked for: {coding[:80]!r}"
                )
            self._state = _CHUNK_SIZE_LINE
            # Both framings at once (RFC 9112 6.3): chunked is read, but a server that
            # sends both may be splitting responses, so its connection is not used again.
            self._keep = self._keep and b"content-length" not in headers
        elif b"content-length" in headers:
            digits = headers[b"content-length"]
            if _DIGITS.fullmatch(digits) is None:
                raise Malformed(f"the server sent a malformed Content-Length: {digits[:80]!r}")
            self._length = int(digits)
            if self._length > MAX_BODY_BYTES:
                raise Malformed(f"the server sent a response of {self._length} bytes")
            self._state = _LENGTH
        else:
            self._state = _UNTIL_CLOSE
            self._keep = False
        return self._body()

    def _body(self) -> Response | None:
        if self._state == _LENGTH:
            end = self._pos + self._length
            if len(self._buffer) < end:
                return None
            return self._done(bytes(self._buffer[self._pos : end]), end)
        if self._state == _UNTIL_CLOSE:
            if len(self._buffer) - self._pos > MAX_BODY_BYTES:
                raise Malformed("the server sent a response over the size bound")
            return None
        return self._chunked()

    def _chunked(self) -> Response | None:
        buffer = self._buffer
        while True:
            if self._state == _CHUNK_DATA:
                end = self._pos + self._length
                if len(buffer) < end + 2:
                    self._pending()
                    return None
                if buffer[end : end + 2] != b"\r\n":
                    raise Malformed("the server sent a malformed chunked response")
                self._chunks += buffer[self._pos : end]
                self._pos = end + 2
                self._state = _CHUNK_SIZE_LINE
            line = self._line()
            if line is None:
                self._pending()
                return None
            if self._state == _TRAILER:
                if not line:
                    return self._done(bytes(self._chunks), self._pos)
                self._framing_extra(len(line) + 2)
                continue
            size = _CHUNK_SIZE.fullmatch(line)
            if size is None:
                raise Malformed(f"the server sent a malformed chunk size: {line[:80]!r}")
            self._framing_extra(len(line) - len(size[1]))
            self._length = int(size[1], 16)
            if self._length == 0:
                self._state = _TRAILER
                continue
            self._total += self._length
            if self._total > MAX_BODY_BYTES:
                raise Malformed("the server sent a response over the size bound")
            self._state = _CHUNK_DATA

    def _framing_extra(self, size: int) -> None:
        """Count chunk extensions and trailers, which nobody reads: bounded as a head is."""
        self._extra += size
        if self._extra > MAX_HEADER_BYTES:
            raise Malformed(
                "the server sent a malformed chunked response (extensions or trailers too long)"
            )

    def _line(self) -> bytes | None:
        """The next CRLF-ended line of the chunked framing, or None until it has come;
        a line that comes in pieces is searched from where the last search ended."""
        end = self._buffer.find(b"\r\n", max(self._scan, self._pos))
        if end < 0:
            if len(self._buffer) - self._pos > MAX_HEADER_BYTES:
                raise Malformed("the server sent a malformed chunked response (a line too long)")
            self._scan = max(self._pos, len(self._buffer) - 1)
            return None
        line = bytes(self._buffer[self._pos : end])
        self._pos = self._scan = end + 2
        return line

    def _pending(self) -> None:
        """Wait for more, holding only what is not parsed yet (the chunks are copied out):
        dropping the front of a bytearray moves no bytes."""
        del self._buffer[: self._pos]
        self._scan = max(0, self._scan - self._pos)
        self._pos = 0

    def _done(self, body: bytes, end: int) -> Response:
        # Bytes past the response were not asked for: the connection is not reused.
        return Response(self._status, body, self._keep and end == len(self._buffer))

    def _closed(self) -> Response:
        if self._state == _UNTIL_CLOSE and self._status:
            return Response(self._status, bytes(self._buffer[self._pos :]), False)
        if not self._received:
            raise Closed("no response")
        raise Closed("the response was cut short")
