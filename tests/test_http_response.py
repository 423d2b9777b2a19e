"""The sans-I/O HTTP/1.1 response reader, and both HTTP pools on real sockets.

`ResponseReader` is held to three things: a valid response reads the same however its
bytes are split (a property over drawn responses: every framing, interim 1xx heads, extra
headers, pieces down to one byte); hostile or broken bytes are refused with `Malformed`
(or `Closed` at an early EOF) whose message names the problem; and the bounds hold.

`HttpPool` and `AsyncHttpPool` are run against a raw TCP server on 127.0.0.1 (a thread,
no mock) that reads each whole request and answers it with scripted bytes: replies in
pieces, malformed replies, hang-ups, a trickle that never ends, keep-alive and
`Connection: close`, an idle connection the server closes, and a 401.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import libsqlkit._http_response as http_response
from libsqlkit._errors import AuthError, Timeout, Unavailable
from libsqlkit._http import AsyncHttpPool, HttpPool
from libsqlkit._http_response import (
    MAX_HEADER_BYTES,
    Closed,
    Malformed,
    Response,
    ResponseReader,
)

# -- helpers for the reader ----------------------------------------------------------------


def feed_in_pieces(pieces: Sequence[bytes], *, until_close: bool) -> Response:
    """Feed every piece (none empty) to a new reader: no response may come before the last
    piece; a body that runs until the close comes only with the EOF."""
    assert all(pieces), "an empty piece would mean EOF"
    reader = ResponseReader()
    results = [reader.feed(piece) for piece in pieces]
    if until_close:
        assert results == [None] * len(results)
        closed = reader.feed(b"")
        assert closed is not None
        return closed
    assert results[:-1] == [None] * (len(results) - 1)
    last = results[-1]
    assert last is not None, "the whole response did not give a Response"
    return last


def split_at(data: bytes, cuts: Sequence[int]) -> list[bytes]:
    bounds = [0, *sorted(set(cuts)), len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def refusal(data: bytes) -> str:
    """The message of the `Malformed` the reader raises for `data`, fed whole; fed one byte
    at a time it must raise the same."""
    with pytest.raises(Malformed) as whole:
        ResponseReader().feed(data)
    reader = ResponseReader()
    with pytest.raises(Malformed) as bytewise:
        for i in range(len(data)):
            reader.feed(data[i : i + 1])
    assert str(bytewise.value) == str(whole.value)
    return str(whole.value)


# -- property: a valid response reads the same however it is split --------------------------

TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
FRAMING_HEADERS = {"content-length", "transfer-encoding", "connection"}


def no_crlf(value: bytes) -> bytes:
    return value.replace(b"\r", b"").replace(b"\n", b"")


header_names = st.text(alphabet=TOKEN_CHARS, min_size=1, max_size=16).filter(
    lambda name: name.lower() not in FRAMING_HEADERS
)
header_values = st.binary(max_size=40).map(no_crlf)  # latin-1, UTF-8, control bytes too
header_lines = st.lists(
    st.tuples(header_names, header_values).map(lambda h: h[0].encode() + b":" + h[1]),
    max_size=6,
)


def random_case(draw: st.DrawFn, text: str) -> bytes:
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.upper() if f else c.lower() for c, f in zip(text, flips, strict=True)).encode()


@dataclass
class Drawn:
    data: bytes
    status: int
    body: bytes
    keep: bool
    until_close: bool


def chunked(draw: st.DrawFn, body: bytes) -> bytes:
    """`body` in chunks of drawn sizes, each size in either case, zero-padded up to 16
    digits, with optional whitespace and extensions; then the last chunk and trailers."""
    cuts = draw(st.lists(st.integers(1, max(1, len(body) - 1)), max_size=30)) if body else []
    pieces = split_at(body, cuts)

    def size_line(size: int) -> bytes:
        digits = format(size, draw(st.sampled_from(["x", "X"])))
        digits = digits.zfill(draw(st.integers(len(digits), 16)))
        space = draw(st.sampled_from(["", " ", "\t", " \t "]))
        extension = draw(st.sampled_from(["", ";ext", ';a=b;c="d e"', "; name = value"]))
        # whitespace is only valid before an extension, or alone
        return (digits + space + extension).encode() + b"\r\n"

    out = b"".join(size_line(len(piece)) + piece + b"\r\n" for piece in pieces)
    trailers = draw(header_lines)
    return out + size_line(0) + b"".join(line + b"\r\n" for line in trailers) + b"\r\n"


def exact_size_binary(size: int) -> st.SearchStrategy[bytes]:
    return st.binary(min_size=size, max_size=size)


@st.composite
def valid_responses(draw: st.DrawFn) -> Drawn:
    status = draw(st.integers(200, 599).filter(lambda s: s not in (204, 304)))
    version = draw(st.sampled_from(["1.1", "1.0"]))
    reason = draw(st.one_of(st.none(), st.binary(max_size=20).map(no_crlf)))
    status_line = f"HTTP/{version} {status}".encode() + (b"" if reason is None else b" " + reason)
    # short bodies, and long ones up to 5000 bytes (left to itself, `st.binary` stays short)
    body = draw(st.binary(max_size=64) | st.integers(0, 5000).flatmap(exact_size_binary))
    framing = draw(st.sampled_from(["content-length", "chunked", "until-close"]))

    headers = draw(header_lines)
    connection = draw(
        st.sampled_from([None, "keep-alive", "close", "keep-alive, close", "upgrade"])
    )
    if connection is not None:
        place = draw(st.integers(0, len(headers)))
        headers.insert(place, random_case(draw, "connection") + b": " + connection.encode())
    if framing == "content-length":
        framing_header = random_case(draw, "content-length") + b": %d" % len(body)
        payload = body
    elif framing == "chunked":
        coding = draw(st.sampled_from(["chunked", "Chunked", "identity, chunked"]))
        framing_header = random_case(draw, "transfer-encoding") + b": " + coding.encode()
        payload = chunked(draw, body)
    else:
        framing_header, payload = None, body
    if framing_header is not None:
        headers.insert(draw(st.integers(0, len(headers))), framing_header)

    interim = draw(
        st.lists(
            st.sampled_from(
                [
                    b"HTTP/1.1 100 Continue\r\n\r\n",
                    b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n",
                ]
            ),
            max_size=2,
        )
    )
    head = status_line + b"\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n"
    keep = version == "1.1" and "close" not in (connection or "") and framing != "until-close"
    return Drawn(b"".join(interim) + head + payload, status, body, keep, framing == "until-close")


@settings(max_examples=300, deadline=None)
@given(drawn=valid_responses(), cuts=st.lists(st.integers(1, 12000), max_size=40))
def test_a_valid_response_reads_the_same_whole_in_drawn_pieces_and_byte_by_byte(
    drawn: Drawn, cuts: list[int]
) -> None:
    data = drawn.data
    whole = feed_in_pieces([data], until_close=drawn.until_close)
    assert whole == Response(drawn.status, drawn.body, drawn.keep)
    pieces = split_at(data, [cut for cut in cuts if cut < len(data)])
    assert feed_in_pieces(pieces, until_close=drawn.until_close) == whole
    one_byte_pieces = [data[i : i + 1] for i in range(len(data))]
    assert feed_in_pieces(one_byte_pieces, until_close=drawn.until_close) == whole


# -- valid responses with a known outcome ---------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            b"HTTP/1.1 204 No Content\r\n\r\n", Response(204, b"", True), id="204-has-no-body"
        ),
        pytest.param(
            b"HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n",
            Response(304, b"", True),
            id="304-has-no-body-whatever-its-content-length",
        ),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
            Response(200, b"ok", False),
            id="connection-close-is-not-kept",
        ),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nConnection: Keep-Alive, CLOSE\r\nContent-Length: 2\r\n\r\nok",
            Response(200, b"ok", False),
            id="close-token-in-a-list-any-case-is-not-kept",
        ),
        pytest.param(
            b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok",
            Response(200, b"ok", False),
            id="http-1.0-is-not-kept",
        ),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length:  2 \r\n\r\nok",
            Response(200, b"ok", True),
            id="two-equal-content-lengths-are-accepted",
        ),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 99\r\n\r\n"
            b"3;name=value\r\nabc\r\n2 ; x\r\nde\r\n0\r\nX-Checksum: 1\r\nX-Other: 2\r\n\r\n",
            Response(200, b"abcde", False),
            id="chunked-with-extensions-and-trailers-wins-over-content-length-not-kept",
        ),
        pytest.param(
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX: y\r\n\r\n"
            b"HTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nz",
            Response(201, b"z", True),
            id="interim-1xx-heads-are-skipped",
        ),
        pytest.param(
            b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",
            Response(200, b"", True),
            id="status-line-without-reason-phrase",
        ),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nX-Latin1: caf\xe9 \xff\r\nX-Utf8: \xe6\x97\xa5\xe6\x9c\xac\r\n"
            b"X-Empty:\r\nContent-Length: 2\r\n\r\nok",
            Response(200, b"ok", True),
            id="latin-1-and-utf-8-bytes-in-header-values-are-accepted",
        ),
    ],
)
def test_a_valid_response_gives_the_expected_status_body_and_keep(
    data: bytes, expected: Response
) -> None:
    assert ResponseReader().feed(data) == expected
    one_byte_pieces = [data[i : i + 1] for i in range(len(data))]
    assert feed_in_pieces(one_byte_pieces, until_close=False) == expected


@pytest.mark.parametrize(
    "response",
    [
        pytest.param(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", id="content-length"),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
            id="chunked",
        ),
    ],
)
@pytest.mark.parametrize("extra", [b"X", b"HTTP/1.1 200 OK\r\n", b"\r\n"])
def test_bytes_past_the_response_in_the_same_read_mean_it_is_not_kept(
    response: bytes, extra: bytes
) -> None:
    assert ResponseReader().feed(response + extra) == Response(200, b"ok", False)
    assert ResponseReader().feed(response) == Response(200, b"ok", True)


@pytest.mark.parametrize(
    "header",
    [
        b"Transfer-Encoding: gzip",
        b"Transfer-Encoding: gzip, chunked",
        b"Transfer-Encoding: chunked, chunked",
        b"Content-Encoding: gzip",
        b"Content-Encoding: br",
    ],
)
def test_a_body_in_a_coding_nobody_asked_for_is_refused(header: bytes) -> None:
    """The request says `Accept-Encoding: identity`: compressed bytes would otherwise be
    read as JSON, or as the body of the next response."""
    head = b"HTTP/1.1 200 OK\r\n" + header + b"\r\nContent-Length: 2\r\n\r\n"
    with pytest.raises(Malformed, match="a coding not asked for"):
        ResponseReader().feed(head)


def test_identity_and_chunked_in_any_case_are_read() -> None:
    identity = b"HTTP/1.1 200 OK\r\nContent-Encoding: Identity\r\nContent-Length: 2\r\n\r\nok"
    assert ResponseReader().feed(identity) == Response(200, b"ok", True)
    chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: CHUNKED\r\n\r\n2\r\nok\r\n0\r\n\r\n"
    assert ResponseReader().feed(chunked) == Response(200, b"ok", True)


@pytest.mark.parametrize("status", [204, 304])
def test_no_content_and_not_modified_end_at_the_blank_line_whatever_their_headers(
    status: int,
) -> None:
    """RFC 9112 6.3: they carry no body. With a Transfer-Encoding the server is confused,
    so the connection is not used again."""
    head = b"HTTP/1.1 %d X\r\nTransfer-Encoding: chunked\r\n\r\n" % status
    assert ResponseReader().feed(head) == Response(status, b"", False)
    head = b"HTTP/1.1 %d X\r\nContent-Length: 10\r\n\r\n" % status
    assert ResponseReader().feed(head) == Response(status, b"", True)


def test_switching_protocols_unasked_is_refused() -> None:
    with pytest.raises(Malformed, match="switched protocols"):
        ResponseReader().feed(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n")


def test_many_one_byte_chunks_are_held_in_memory_about_their_size() -> None:
    """Each chunk's data joins one buffer: 100,000 one-byte chunks (600 KB of framing) hold
    about 100 KB, not a bytes object of ~40 bytes each."""
    body = bytes(range(256)) * 390 + b"x" * 160
    framing = b"".join(b"1\r\n" + body[i : i + 1] + b"\r\n" for i in range(len(body)))
    data = CHUNKED_HEAD + framing + b"0\r\n\r\n"
    reader = ResponseReader()
    tracemalloc.start()
    try:
        results = [reader.feed(data[i : i + 65536]) for i in range(0, len(data), 65536)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert results[-1] == Response(200, body, True)
    assert peak < 3 * len(body) + 4 * 65536, peak


def test_a_head_just_under_the_bound_is_accepted() -> None:
    start = b"HTTP/1.1 200 OK\r\nX-Big: "
    end = b"\r\nContent-Length: 2\r\n\r\nok"
    filler = b"a" * (MAX_HEADER_BYTES - len(start) - len(end) + len(b"\r\n\r\nok"))
    data = start + filler + end
    assert data.index(b"\r\n\r\n") == MAX_HEADER_BYTES  # the bound itself
    assert ResponseReader().feed(data) == Response(200, b"ok", True)


# -- malformed and hostile bytes -------------------------------------------------------------

OK_HEAD = b"HTTP/1.1 200 OK\r\n"
CHUNKED_HEAD = OK_HEAD + b"Transfer-Encoding: chunked\r\n\r\n"


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        pytest.param(b"garbage", "b'garbage'", id="garbage"),
        pytest.param(b"SSH-2.0-OpenSSH_9.6", "b'SSH-2.0-OpenSSH_9.6'", id="not-http"),
        pytest.param(b"HTTP/2 200", "b'HTTP/2 200'", id="http-2"),
        pytest.param(b"HTTP/1.2 200 OK", "b'HTTP/1.2 200 OK'", id="http-1.2"),
        pytest.param(b"http/1.1 200 OK", "b'http/1.1 200 OK'", id="lowercase-http"),
        pytest.param(b"HTTP/1.1", "b'HTTP/1.1'", id="missing-code"),
        pytest.param(b"HTTP/1.1 ", "b'HTTP/1.1 '", id="missing-code-after-space"),
        pytest.param(b"HTTP/1.1 OK", "b'HTTP/1.1 OK'", id="reason-without-code"),
        pytest.param(b"HTTP/1.1 099 Low", "b'HTTP/1.1 099 Low'", id="code-099"),
        pytest.param(b"HTTP/1.1 2x0 OK", "b'HTTP/1.1 2x0 OK'", id="non-digit-code"),
        pytest.param(b"HTTP/1.1 20 OK", "b'HTTP/1.1 20 OK'", id="two-digit-code"),
        pytest.param(b"HTTP/1.1 2000 OK", "b'HTTP/1.1 2000 OK'", id="four-digit-code"),
        pytest.param(b"HTTP/1.1 200OK", "b'HTTP/1.1 200OK'", id="no-space-before-reason"),
        pytest.param(b"", "b''", id="empty-status-line"),
    ],
)
def test_a_bad_status_line_is_malformed_and_shown(line: bytes, shown: str) -> None:
    message = refusal(line + b"\r\nContent-Length: 0\r\n\r\n")
    assert "malformed status line" in message
    assert shown in message


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(b"No colon here", id="no-colon"),
        pytest.param(b"Bad Name: value", id="space-in-name"),
        pytest.param(b"Name : value", id="space-before-colon"),
        pytest.param(b": no name", id="empty-name"),
        pytest.param(b" folded: continuation", id="obsolete-line-folding"),
        pytest.param(b"Na(me): value", id="separator-in-name"),
    ],
)
def test_a_bad_header_line_is_malformed_and_shown(line: bytes) -> None:
    message = refusal(OK_HEAD + line + b"\r\nContent-Length: 0\r\n\r\n")
    assert "malformed header line" in message
    assert repr(line) in message


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(b"-1", id="negative"),
        pytest.param(b"abc", id="letters"),
        pytest.param(b"1e3", id="exponent"),
        pytest.param(b"12345678901234567890", id="20-digits"),
        pytest.param(b"+5", id="plus-sign"),
        pytest.param(b"0x10", id="hex"),
        pytest.param(b"5, 5", id="list"),
        pytest.param(b"", id="empty"),
        pytest.param(b"5 5", id="two-numbers"),
    ],
)
def test_an_invalid_content_length_is_malformed_and_shown(value: bytes) -> None:
    message = refusal(OK_HEAD + b"Content-Length: " + value + b"\r\n\r\n" + b"x" * 10)
    assert "malformed Content-Length" in message
    assert repr(value) in message


def test_two_different_content_lengths_are_malformed() -> None:
    message = refusal(OK_HEAD + b"Content-Length: 2\r\ncontent-length: 3\r\n\r\nabc")
    assert "two different Content-Length headers" in message


@pytest.mark.parametrize(
    ("framing", "shown"),
    [
        pytest.param(b"0x10\r\n", "b'0x10'", id="0x-prefix"),
        pytest.param(b"-1\r\n", "b'-1'", id="negative"),
        pytest.param(b"zz\r\n", "b'zz'", id="not-hex"),
        pytest.param(b"\r\n", "b''", id="empty"),
        pytest.param(b"1" * 17 + b"\r\n", repr(b"1" * 17), id="17-hex-digits"),
        pytest.param(b"0" * 17 + b"\r\n\r\n", repr(b"0" * 17), id="17-zero-digits"),
        pytest.param(b"+5\r\nhello\r\n", "b'+5'", id="plus-sign"),
        pytest.param(b" 5\r\nhello\r\n", "b' 5'", id="leading-space"),
        pytest.param(b"5\r\nhello\r\nzz\r\n", "b'zz'", id="bad-size-after-a-good-chunk"),
    ],
)
def test_a_bad_chunk_size_is_malformed_and_shown(framing: bytes, shown: str) -> None:
    message = refusal(CHUNKED_HEAD + framing)
    assert "malformed chunk size" in message
    assert shown in message


@pytest.mark.parametrize(
    "framing",
    [
        pytest.param(b"5\r\nhelloXX0\r\n\r\n", id="other-bytes"),
        pytest.param(b"5\r\nhello world\r\n0\r\n\r\n", id="data-longer-than-its-size"),
        pytest.param(b"5\r\nhello\n0\r\n\r\n", id="bare-lf"),
    ],
)
def test_chunk_data_not_followed_by_crlf_is_malformed(framing: bytes) -> None:
    assert "malformed chunked response" in refusal(CHUNKED_HEAD + framing)


@pytest.mark.parametrize(
    "blank_line", [pytest.param(True, id="with-blank-line"), pytest.param(False, id="without")]
)
def test_a_head_over_64_kib_is_malformed(blank_line: bool) -> None:
    data = OK_HEAD + b"X-Big: " + b"a" * MAX_HEADER_BYTES + b"\r\nContent-Length: 2"
    if blank_line:
        data += b"\r\n\r\nok"
    assert "headers too long" in refusal(data)


def test_a_head_over_64_kib_of_many_short_headers_is_malformed() -> None:
    lines = b"".join(b"X-%d: v\r\n" % i for i in range(MAX_HEADER_BYTES // 8))
    assert "headers too long" in refusal(OK_HEAD + lines + b"Content-Length: 0\r\n\r\n")


def test_an_endless_stream_of_interim_1xx_heads_is_malformed() -> None:
    reader = ResponseReader()
    interim = b"HTTP/1.1 100 Continue\r\n\r\n"
    fed = 0
    with pytest.raises(Malformed, match="headers too long"):
        while fed <= 4 * MAX_HEADER_BYTES:  # refused once past the bound, not buffered on
            assert reader.feed(interim) is None
            fed += len(interim)
    # refused by the feed that took the heads past the bound
    assert fed <= MAX_HEADER_BYTES < fed + len(interim)


def test_a_chunked_body_over_the_bound_is_malformed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http_response, "MAX_BODY_BYTES", 100)
    chunk = b"40\r\n" + b"x" * 0x40 + b"\r\n"
    assert "over the size bound" in refusal(CHUNKED_HEAD + chunk + chunk)
    # at the bound exactly, it is accepted
    at_bound = CHUNKED_HEAD + b"64\r\n" + b"x" * 100 + b"\r\n0\r\n\r\n"
    assert ResponseReader().feed(at_bound) == Response(200, b"x" * 100, True)


def test_a_huge_chunk_size_is_refused_before_its_data_comes() -> None:
    message = refusal(CHUNKED_HEAD + b"ffffffffffffffff\r\n")
    assert "over the size bound" in message


def test_a_content_length_over_the_bound_is_malformed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http_response, "MAX_BODY_BYTES", 100)
    assert "response of 101 bytes" in refusal(OK_HEAD + b"Content-Length: 101\r\n\r\n")
    at_bound = OK_HEAD + b"Content-Length: 100\r\n\r\n" + b"x" * 100
    assert ResponseReader().feed(at_bound) == Response(200, b"x" * 100, True)


def test_a_19_digit_content_length_is_refused_by_the_real_bound() -> None:
    message = refusal(OK_HEAD + b"Content-Length: 9999999999999999999\r\n\r\n")
    assert "response of 9999999999999999999 bytes" in message


def test_a_body_until_close_over_the_bound_is_malformed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http_response, "MAX_BODY_BYTES", 100)
    reader = ResponseReader()
    assert reader.feed(OK_HEAD + b"\r\n" + b"x" * 100) is None
    with pytest.raises(Malformed, match="over the size bound"):
        reader.feed(b"x")


def test_a_chunk_size_line_over_64_kib_is_malformed() -> None:
    message = refusal(CHUNKED_HEAD + b"1;" + b"e" * MAX_HEADER_BYTES)
    assert "malformed chunked response (a line too long)" in message


def test_an_endless_trailer_section_is_refused() -> None:
    """Trailers are a head after the body: an endless stream of short trailer lines must be
    refused past a bound, as an endless head is, not read (and buffered) without end."""
    reader = ResponseReader()
    assert reader.feed(CHUNKED_HEAD + b"2\r\nok\r\n0\r\n") is None
    trailer = b"X-Trailer: some value\r\n"
    fed = 0
    with pytest.raises(Malformed, match=r"too long|bound"):
        while fed <= 16 * MAX_HEADER_BYTES:
            assert reader.feed(trailer * 64) is None
            fed += len(trailer) * 64


def test_chunk_extensions_count_towards_the_same_bound_as_trailers() -> None:
    """One-byte chunks with long extensions would otherwise buffer 64 KiB of framing per
    byte of body: extensions nobody reads are bounded in total, as a head is."""
    reader = ResponseReader()
    assert reader.feed(CHUNKED_HEAD) is None
    chunk = b"1;" + b"e" * 1000 + b"\r\nx\r\n"
    with pytest.raises(Malformed, match="extensions or trailers too long"):
        for _ in range(MAX_HEADER_BYTES // 1000 + 2):
            assert reader.feed(chunk) is None


# -- EOF at every point ----------------------------------------------------------------------

CONTENT_LENGTH_REPLY = OK_HEAD + b"Content-Length: 5\r\n\r\nhello"
CHUNKED_REPLY = CHUNKED_HEAD + b"2;x=y\r\nhe\r\n3\r\nllo\r\n0\r\nX-T: 1\r\n\r\n"
INTERIM_THEN_REPLY = b"HTTP/1.1 100 Continue\r\n\r\n" + CONTENT_LENGTH_REPLY
NO_CONTENT_REPLY = b"HTTP/1.1 204 No Content\r\nX: y\r\n\r\n"
UNTIL_CLOSE_REPLY = b"HTTP/1.1 100 Continue\r\n\r\n" + OK_HEAD + b"X: y\r\n\r\nhello"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(CONTENT_LENGTH_REPLY, id="content-length"),
        pytest.param(CHUNKED_REPLY, id="chunked-with-trailer"),
        pytest.param(INTERIM_THEN_REPLY, id="interim-then-content-length"),
        pytest.param(NO_CONTENT_REPLY, id="204"),
    ],
)
def test_eof_at_every_point_before_the_end_is_closed(data: bytes) -> None:
    for cut in range(len(data)):
        reader = ResponseReader()
        if cut:
            assert reader.feed(data[:cut]) is None
        with pytest.raises(Closed) as closed:
            reader.feed(b"")
        assert str(closed.value) == ("no response" if cut == 0 else "the response was cut short")
    assert ResponseReader().feed(data) is not None


def test_eof_in_a_body_until_close_gives_the_body_so_far_once_the_head_is_whole() -> None:
    data = UNTIL_CLOSE_REPLY
    body_start = data.rindex(b"\r\n\r\n") + 4
    for cut in range(len(data) + 1):
        reader = ResponseReader()
        if cut:
            assert reader.feed(data[:cut]) is None
        if cut < body_start:
            with pytest.raises(Closed, match="no response" if cut == 0 else "cut short"):
                reader.feed(b"")
        else:
            assert reader.feed(b"") == Response(200, data[body_start:cut], False)


def test_eof_before_any_byte_is_closed_with_no_response() -> None:
    with pytest.raises(Closed) as closed:
        ResponseReader().feed(b"")
    assert str(closed.value) == "no response"


# -- both pools against a scripted raw TCP server ------------------------------------------

# One answer to one request: it writes what it likes to the connection and says whether
# the server goes on reading requests from it (False: the server closes it).
Answer = Callable[[socket.socket, threading.Event], bool]

REQUEST = {"baton": None, "requests": [{"type": "execute", "stmt": {"sql": "SELECT 1"}}]}
REPLY = {"baton": None, "base_url": None, "results": [{"type": "ok", "response": {}}]}
REPLY_BODY = json.dumps(REPLY).encode()


def http_reply(body: bytes, *, status: str = "200 OK", headers: bytes = b"") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n".encode()
        + headers
        + b"Content-Length: %d\r\n\r\n" % len(body)
        + body
    )


OK_REPLY = http_reply(REPLY_BODY)
CLOSE_REPLY = http_reply(REPLY_BODY, headers=b"Connection: close\r\n")


def send(data: bytes, *, one_byte_at_a_time: bool = False, then_close: bool = False) -> Answer:
    def answer(conn: socket.socket, stopped: threading.Event) -> bool:
        if one_byte_at_a_time:
            for i in range(len(data)):
                conn.sendall(data[i : i + 1])
                time.sleep(0.001)
        else:
            conn.sendall(data)
        return not then_close

    return answer


def hang_up(conn: socket.socket, stopped: threading.Event) -> bool:
    """Read the request (the server did), answer nothing, close."""
    return False


def trickle(conn: socket.socket, stopped: threading.Event) -> bool:
    """A valid head that never ends: one byte every 0.2 s until the test is over."""
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    filler = b"X-Slow: y\r\n"
    i = 0
    while not stopped.wait(0.2):
        conn.sendall(filler[i % len(filler) : i % len(filler) + 1])
        i += 1
    return False


@dataclass
class Received:
    connection: int  # which accepted connection it came on, from 0
    head: bytes
    body: bytes


class ScriptedServer:
    """A raw TCP server on 127.0.0.1: it reads each whole request (the head up to the blank
    line, then Content-Length bytes) and gives it the next scripted answer (the last one
    again once they run out)."""

    def __init__(self, answers: Sequence[Answer]) -> None:
        assert answers
        self._answers = answers
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.where = f"127.0.0.1:{self.port}"
        self.accepts = 0
        self.closed_by_server = 0
        self.received: list[Received] = []
        self.stopped = threading.Event()
        self._lock = threading.Lock()
        self._connections: list[socket.socket] = []
        self._threads = [threading.Thread(target=self._accept_loop, daemon=True)]
        self._threads[0].start()

    def _accept_loop(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                index = self.accepts
                self.accepts += 1
                self._connections.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn, index), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _read(self, conn: socket.socket, buffer: bytearray, size: int | None = None) -> bool:
        """Read into `buffer` until it holds a head (`size` None) or `size` bytes; False at
        EOF or once stopped."""
        while (b"\r\n\r\n" not in buffer) if size is None else (len(buffer) < size):
            if self.stopped.is_set():
                return False
            try:
                data = conn.recv(65536)
            except TimeoutError:
                continue
            if not data:
                return False
            buffer += data
        return True

    def _serve(self, conn: socket.socket, index: int) -> None:
        conn.settimeout(0.05)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer = bytearray()
        try:
            while True:
                if not self._read(conn, buffer):
                    return
                head_end = buffer.index(b"\r\n\r\n") + 4
                head = bytes(buffer[:head_end])
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if not self._read(conn, buffer, head_end + length):
                    return
                body = bytes(buffer[head_end : head_end + length])
                del buffer[: head_end + length]
                with self._lock:
                    number = len(self.received)
                    self.received.append(Received(index, head, body))
                answer = self._answers[min(number, len(self._answers) - 1)]
                if not answer(conn, self.stopped):
                    with self._lock:
                        self.closed_by_server += 1
                    return
        except OSError:
            return
        finally:
            conn.close()

    def wait_closed_by_server(self, count: int) -> None:
        deadline = time.monotonic() + 2.0
        while self.closed_by_server < count:
            assert time.monotonic() < deadline, "the server did not close the connection"
            time.sleep(0.01)
        time.sleep(0.05)  # for the FIN to reach the client's socket

    def stop(self) -> None:
        self.stopped.set()
        self._listener.close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        for thread in self._threads:
            thread.join(timeout=2.0)
        assert not any(thread.is_alive() for thread in self._threads)


Serve = Callable[..., ScriptedServer]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Start scripted servers (`serve(answer, ...)`); each is stopped after the test."""
    servers: list[ScriptedServer] = []

    def start(*answers: Answer) -> ScriptedServer:
        server = ScriptedServer(answers)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def sync_pool(server: ScriptedServer, timeout: float = 2.0) -> HttpPool:
    return HttpPool(server.url, None, timeout=timeout, size=2)


def async_pool(server: ScriptedServer, timeout: float = 2.0) -> AsyncHttpPool:
    return AsyncHttpPool(server.url, None, timeout=timeout, size=2)


def assert_request_was_read_whole(server: ScriptedServer) -> None:
    for received in server.received:
        assert received.head.startswith(b"POST /v2/pipeline HTTP/1.1\r\n")
        assert b"\r\nAccept-Encoding: identity\r\n" in received.head
        assert json.loads(received.body) == REQUEST


MALFORMED_REPLIES = [
    pytest.param(
        b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n{}", "malformed Content-Length", id="cl"
    ),
    pytest.param(b"SSH-2.0-OpenSSH_9.6\r\n\r\n", "malformed status line", id="status-line"),
    pytest.param(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "malformed chunk size",
        id="chunk-size",
    ),
]


# (a) a reply one byte at a time


def test_sync_pool_reads_a_json_reply_sent_one_byte_at_a_time(serve: Serve) -> None:
    server = serve(send(OK_REPLY, one_byte_at_a_time=True))
    pool = sync_pool(server)
    try:
        assert pool.post(REQUEST) == REPLY
        # Read in many pieces, the socket's timeout was shortened; it is whole again.
        assert [sock.gettimeout() for sock in pool._idle] == [2.0]
        assert pool.post(REQUEST) == REPLY  # on the same connection
    finally:
        pool.close()
    assert server.accepts == 1
    assert_request_was_read_whole(server)


async def test_async_pool_reads_a_json_reply_sent_one_byte_at_a_time(serve: Serve) -> None:
    server = serve(send(OK_REPLY, one_byte_at_a_time=True))
    pool = async_pool(server)
    try:
        assert await pool.post(REQUEST) == REPLY
        assert await pool.post(REQUEST) == REPLY
    finally:
        await pool.close()
    assert server.accepts == 1
    assert_request_was_read_whole(server)


# (b) a malformed reply


@pytest.mark.parametrize(("reply", "problem"), MALFORMED_REPLIES)
@pytest.mark.parametrize("idempotent", [False, True])
def test_sync_pool_raises_unavailable_naming_host_and_problem_for_a_malformed_reply(
    serve: Serve, reply: bytes, problem: str, idempotent: bool
) -> None:
    server = serve(send(reply))
    pool = sync_pool(server)
    try:
        with pytest.raises(Unavailable) as raised:
            pool.post(REQUEST, idempotent=idempotent)
    finally:
        pool.close()
    message = str(raised.value)
    assert server.where in message
    assert problem in message
    assert ("may have been applied" in message) is not idempotent
    assert len(server.received) == 1  # never sent twice


@pytest.mark.parametrize(("reply", "problem"), MALFORMED_REPLIES)
@pytest.mark.parametrize("idempotent", [False, True])
async def test_async_pool_raises_unavailable_naming_host_and_problem_for_a_malformed_reply(
    serve: Serve, reply: bytes, problem: str, idempotent: bool
) -> None:
    server = serve(send(reply))
    pool = async_pool(server)
    try:
        with pytest.raises(Unavailable) as raised:
            await pool.post(REQUEST, idempotent=idempotent)
    finally:
        await pool.close()
    message = str(raised.value)
    assert server.where in message
    assert problem in message
    assert ("may have been applied" in message) is not idempotent
    assert len(server.received) == 1


# (c) the server reads the request and closes without answering


def test_sync_pool_write_lost_to_a_hang_up_may_have_been_applied(serve: Serve) -> None:
    server = serve(hang_up)
    pool = sync_pool(server)
    try:
        with pytest.raises(Unavailable) as raised:
            pool.post(REQUEST)
    finally:
        pool.close()
    message = str(raised.value)
    assert f"{server.where} closed the connection" in message
    assert "may have been applied" in message
    assert len(server.received) == 1
    assert_request_was_read_whole(server)


async def test_async_pool_write_lost_to_a_hang_up_may_have_been_applied(serve: Serve) -> None:
    server = serve(hang_up)
    pool = async_pool(server)
    try:
        with pytest.raises(Unavailable) as raised:
            await pool.post(REQUEST)
    finally:
        await pool.close()
    message = str(raised.value)
    assert f"{server.where} closed the connection" in message
    assert "may have been applied" in message
    assert len(server.received) == 1
    assert_request_was_read_whole(server)


def test_sync_pool_read_lost_to_a_hang_up_on_a_new_connection_is_not_sent_again(
    serve: Serve,
) -> None:
    server = serve(hang_up, send(OK_REPLY))
    pool = sync_pool(server)
    try:
        with pytest.raises(Unavailable) as raised:
            pool.post(REQUEST, idempotent=True)
    finally:
        pool.close()
    assert "may have been applied" not in str(raised.value)
    assert len(server.received) == 1


async def test_async_pool_read_lost_to_a_hang_up_on_a_new_connection_is_not_sent_again(
    serve: Serve,
) -> None:
    server = serve(hang_up, send(OK_REPLY))
    pool = async_pool(server)
    try:
        with pytest.raises(Unavailable) as raised:
            await pool.post(REQUEST, idempotent=True)
    finally:
        await pool.close()
    assert "may have been applied" not in str(raised.value)
    assert len(server.received) == 1


# (d) a trickle that never ends


def test_sync_pool_times_out_on_a_never_ending_trickle_within_its_total_deadline(
    serve: Serve,
) -> None:
    server = serve(trickle)
    pool = sync_pool(server, timeout=1.0)
    start = time.monotonic()
    try:
        with pytest.raises(Timeout) as raised:
            pool.post(REQUEST)
    finally:
        pool.close()
    elapsed = time.monotonic() - start
    assert 0.9 <= elapsed < 2.5
    assert f"{server.where} did not answer within 1 s" in str(raised.value)
    assert "may have been applied" in str(raised.value)


async def test_async_pool_times_out_on_a_never_ending_trickle_within_its_total_deadline(
    serve: Serve,
) -> None:
    server = serve(trickle)
    pool = async_pool(server, timeout=1.0)
    start = time.monotonic()
    try:
        with pytest.raises(Timeout) as raised:
            await pool.post(REQUEST)
    finally:
        await pool.close()
    elapsed = time.monotonic() - start
    assert 0.9 <= elapsed < 2.5
    assert f"{server.where} did not answer within 1 s" in str(raised.value)
    assert "may have been applied" in str(raised.value)


# (e) keep-alive and Connection: close


def test_sync_pool_opens_a_new_connection_after_connection_close(serve: Serve) -> None:
    server = serve(send(CLOSE_REPLY, then_close=True))
    pool = sync_pool(server)
    try:
        assert pool.post(REQUEST) == REPLY
        assert pool.post(REQUEST) == REPLY
    finally:
        pool.close()
    assert server.accepts == 2
    assert [r.connection for r in server.received] == [0, 1]


def test_sync_pool_reuses_a_kept_alive_connection(serve: Serve) -> None:
    server = serve(send(OK_REPLY))
    pool = sync_pool(server)
    try:
        for _ in range(3):
            assert pool.post(REQUEST) == REPLY
    finally:
        pool.close()
    assert server.accepts == 1
    assert [r.connection for r in server.received] == [0, 0, 0]


async def test_async_pool_opens_a_new_connection_after_connection_close(serve: Serve) -> None:
    server = serve(send(CLOSE_REPLY, then_close=True))
    pool = async_pool(server)
    try:
        assert await pool.post(REQUEST) == REPLY
        assert await pool.post(REQUEST) == REPLY
    finally:
        await pool.close()
    assert server.accepts == 2
    assert [r.connection for r in server.received] == [0, 1]


async def test_async_pool_reuses_a_kept_alive_connection(serve: Serve) -> None:
    server = serve(send(OK_REPLY))
    pool = async_pool(server)
    try:
        for _ in range(3):
            assert await pool.post(REQUEST) == REPLY
    finally:
        await pool.close()
    assert server.accepts == 1
    assert [r.connection for r in server.received] == [0, 0, 0]


def test_sync_pool_does_not_reuse_a_connection_with_unasked_bytes_after_the_reply(
    serve: Serve,
) -> None:
    server = serve(send(OK_REPLY + b"HTTP/1.1 200 OK\r\n"))
    pool = sync_pool(server)
    try:
        assert pool.post(REQUEST) == REPLY
        assert pool.post(REQUEST) == REPLY
    finally:
        pool.close()
    assert server.accepts == 2


async def test_async_pool_does_not_reuse_a_connection_with_unasked_bytes_after_the_reply(
    serve: Serve,
) -> None:
    server = serve(send(OK_REPLY + b"HTTP/1.1 200 OK\r\n"))
    pool = async_pool(server)
    try:
        assert await pool.post(REQUEST) == REPLY
        assert await pool.post(REQUEST) == REPLY
    finally:
        await pool.close()
    assert server.accepts == 2


# (f) a kept-alive connection the server closes


@pytest.mark.parametrize("idempotent", [True, False])
def test_sync_pool_posts_on_a_new_connection_after_the_server_closed_the_idle_one(
    serve: Serve, idempotent: bool
) -> None:
    server = serve(send(OK_REPLY, then_close=True), send(OK_REPLY))
    pool = sync_pool(server)
    try:
        assert pool.post(REQUEST, idempotent=True) == REPLY
        server.wait_closed_by_server(1)
        assert pool.post(REQUEST, idempotent=idempotent) == REPLY
    finally:
        pool.close()
    assert server.accepts == 2
    assert [r.connection for r in server.received] == [0, 1]


@pytest.mark.parametrize("idempotent", [True, False])
async def test_async_pool_posts_on_a_new_connection_after_the_server_closed_the_idle_one(
    serve: Serve, idempotent: bool
) -> None:
    server = serve(send(OK_REPLY, then_close=True), send(OK_REPLY))
    pool = async_pool(server)
    try:
        assert await pool.post(REQUEST, idempotent=True) == REPLY
        server.wait_closed_by_server(1)
        assert await pool.post(REQUEST, idempotent=idempotent) == REPLY
    finally:
        await pool.close()
    assert server.accepts == 2
    assert [r.connection for r in server.received] == [0, 1]


def test_sync_pool_sends_a_read_once_more_when_a_reused_connection_is_closed_under_it(
    serve: Serve,
) -> None:
    server = serve(send(OK_REPLY), hang_up, send(OK_REPLY))
    pool = sync_pool(server)
    try:
        assert pool.post(REQUEST, idempotent=True) == REPLY
        assert pool.post(REQUEST, idempotent=True) == REPLY
    finally:
        pool.close()
    assert server.accepts == 2
    assert [r.connection for r in server.received] == [0, 0, 1]


def test_sync_pool_never_sends_a_write_twice_when_a_reused_connection_is_closed_under_it(
    serve: Serve,
) -> None:
    server = serve(send(OK_REPLY), hang_up, send(OK_REPLY))
    pool = sync_pool(server)
    try:
        assert pool.post(REQUEST) == REPLY
        with pytest.raises(Unavailable, match="may have been applied"):
            pool.post(REQUEST)
    finally:
        pool.close()
    assert [r.connection for r in server.received] == [0, 0]


async def test_async_pool_sends_a_read_once_more_when_a_reused_connection_is_closed_under_it(
    serve: Serve,
) -> None:
    server = serve(send(OK_REPLY), hang_up, send(OK_REPLY))
    pool = async_pool(server)
    try:
        assert await pool.post(REQUEST, idempotent=True) == REPLY
        assert await pool.post(REQUEST, idempotent=True) == REPLY
    finally:
        await pool.close()
    assert server.accepts == 2
    assert [r.connection for r in server.received] == [0, 0, 1]


async def test_async_pool_never_sends_a_write_twice_when_a_reused_connection_is_closed_under_it(
    serve: Serve,
) -> None:
    server = serve(send(OK_REPLY), hang_up, send(OK_REPLY))
    pool = async_pool(server)
    try:
        assert await pool.post(REQUEST) == REPLY
        with pytest.raises(Unavailable, match="may have been applied"):
            await pool.post(REQUEST)
    finally:
        await pool.close()
    assert [r.connection for r in server.received] == [0, 0]


# (g) 401

UNAUTHORIZED = http_reply(b'{"error":"Unauthorized: no token"}', status="401 Unauthorized")


def test_sync_pool_raises_auth_error_for_a_401(serve: Serve) -> None:
    server = serve(send(UNAUTHORIZED))
    pool = sync_pool(server)
    try:
        with pytest.raises(AuthError, match=r"auth token is missing.*Unauthorized: no token"):
            pool.post(REQUEST)
    finally:
        pool.close()


async def test_async_pool_raises_auth_error_for_a_401(serve: Serve) -> None:
    server = serve(send(UNAUTHORIZED))
    pool = async_pool(server)
    try:
        with pytest.raises(AuthError, match=r"auth token is missing.*Unauthorized: no token"):
            await pool.post(REQUEST)
    finally:
        await pool.close()


NOT_HRANA = [
    pytest.param(http_reply(b"<html>captive portal</html>"), "not JSON", id="html"),
    pytest.param(http_reply(b"[1, 2]"), "not a Hrana reply", id="json-array"),
]


@pytest.mark.parametrize(("reply", "problem"), NOT_HRANA)
@pytest.mark.parametrize("idempotent", [False, True])
def test_sync_pool_names_a_200_reply_that_is_not_hrana(
    serve: Serve, reply: bytes, problem: str, idempotent: bool
) -> None:
    server = serve(send(reply))
    pool = sync_pool(server)
    try:
        with pytest.raises(Unavailable, match=problem) as caught:
            pool.post(REQUEST, idempotent=idempotent)
        assert server.where in str(caught.value)
        assert ("may have been applied" in str(caught.value)) is not idempotent
    finally:
        pool.close()


@pytest.mark.parametrize(("reply", "problem"), NOT_HRANA)
@pytest.mark.parametrize("idempotent", [False, True])
async def test_async_pool_names_a_200_reply_that_is_not_hrana(
    serve: Serve, reply: bytes, problem: str, idempotent: bool
) -> None:
    server = serve(send(reply))
    pool = async_pool(server)
    try:
        with pytest.raises(Unavailable, match=problem) as caught:
            await pool.post(REQUEST, idempotent=idempotent)
        assert server.where in str(caught.value)
        assert ("may have been applied" in str(caught.value)) is not idempotent
    finally:
        await pool.close()


# A read lost on a reused connection is sent again on a new one, not on another idle one
# (which the server may have closed as well).

SLOW_OK = send(OK_REPLY, one_byte_at_a_time=True)  # long enough for two calls to overlap


def test_sync_pool_sends_a_lost_read_again_on_a_new_connection(serve: Serve) -> None:
    server = serve(SLOW_OK, SLOW_OK, hang_up, send(OK_REPLY))
    pool = sync_pool(server)
    try:
        with ThreadPoolExecutor(2) as workers:
            assert list(workers.map(lambda _: pool.post(REQUEST), range(2))) == [REPLY, REPLY]
        assert server.accepts == 2  # two kept-alive connections are idle now
        assert pool.post(REQUEST, idempotent=True) == REPLY
        assert server.received[3].connection == 2
    finally:
        pool.close()


async def test_async_pool_sends_a_lost_read_again_on_a_new_connection(serve: Serve) -> None:
    server = serve(SLOW_OK, SLOW_OK, hang_up, send(OK_REPLY))
    pool = async_pool(server)
    try:
        replies = await asyncio.gather(pool.post(REQUEST), pool.post(REQUEST))
        assert list(replies) == [REPLY, REPLY]
        assert server.accepts == 2
        assert await pool.post(REQUEST, idempotent=True) == REPLY
        assert server.received[3].connection == 2
    finally:
        await pool.close()
