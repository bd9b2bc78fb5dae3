"""http_abuse.py — clients that misuse the agent's HTTP endpoint, for
e2e_http_abuse.sh. Each mode prints what it saw, one "key value" a line.

  http_abuse.py clients HOST:PORT SECONDS N   N clients looping GETs
  http_abuse.py slow HOST:PORT                idle and byte-a-second clients
  http_abuse.py oversize HOST:PORT            headers and a body over the limits
  http_abuse.py fuzz HOST:PORT N SEED         N malformed requests
  http_abuse.py disconnect HOST:PORT          clients that leave mid-request
"""
import random
import socket
import struct
import sys
import threading
import time

PAGES = ["/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/allocs", "/debug/pprof/block",
         "/debug/pprof/mutex", "/debug/pprof/threadcreate", "/debug/pprof/goroutine",
         "/debug/pprof/cmdline", "/debug/pprof/symbol", "/debug/pprof/nope"]


def connect(addr, timeout=5.0):
    host, port = addr.rsplit(":", 1)
    return socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)


def status_of(reply):
    """The status code of a reply's first line, or 0."""
    try:
        return int(reply.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def request(addr, raw, timeout=5.0, limit=1 << 24):
    """Sends raw bytes and reads the reply until the server closes; returns it
    (b"" when the connection failed)."""
    try:
        s = connect(addr, timeout)
    except OSError:
        return b""
    data = b""
    try:
        s.sendall(raw)
        while len(data) < limit:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    finally:
        s.close()
    return data


def get(addr, path, timeout=10.0):
    return status_of(request(addr, b"GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                             % path.encode(), timeout))


def clients(addr, seconds, n):
    counts = {}
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def loop(i):
        rnd = random.Random(i)
        while time.monotonic() < end:
            code = get(addr, rnd.choice(PAGES))
            with lock:
                counts[code] = counts.get(code, 0) + 1
    threads = [threading.Thread(target=loop, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("requests %d" % sum(counts.values()))
    print("ok_replies %d" % (counts.get(200, 0) + counts.get(404, 0)))
    print("other_statuses %d" % sum(v for k, v in counts.items() if k not in (0, 200, 404)))


def slow(addr):
    idle = [connect(addr) for _ in range(6)]
    dribblers = [connect(addr) for _ in range(4)]
    line = b"GET /debug/pprof/cmdline HTTP/1.1\r\nHost: x\r\n"
    answered = []
    for i in range(8):   # about 4 s, one byte per client each half second
        for s in dribblers:
            try:
                s.send(line[i:i + 1])
            except OSError:
                pass
        if i == 4:
            answered.append(get(addr, "/debug/pprof/cmdline"))
        time.sleep(0.5)
    for s in idle + dribblers:
        s.close()
    print("answered_during_slow_clients %d" % answered[0])


def oversize(addr):
    big = b"GET /debug/pprof/ HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (200 * 1024) + b"\r\n\r\n"
    print("oversized_headers_status %d" % status_of(request(addr, big)))
    body = b"0x1+" * (2 * 1024 * 1024 // 4)
    post = (b"POST /debug/pprof/symbol HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)) + body
    print("oversized_body_status %d" % status_of(request(addr, post)))


def fuzz(addr, n, seed):
    rnd = random.Random(seed)
    methods = [b"GET", b"POST", b"PUT", b"HEAD", b"DELETE", b"\x00\x01", b"G\xffT", b"OPTIONS", b""]
    paths = [b"/debug/pprof/", b"/debug/pprof/heap?seconds=", b"/debug/pprof/symbol?",
             b"/debug/pprof/profile?seconds=-1", b"/%00/../..", b"/debug/pprof/heap?debug=%ff",
             b"*", b"/debug/pprof/mutex?seconds=99999999999999999999", b"/" + b"A" * 5000,
             b"/debug/pprof/heap?" + b"&x=1" * 500]
    versions = [b"HTTP/1.1", b"HTTP/1.0", b"HTTP/9.9", b"HTTX", b""]
    replies = 0
    for i in range(n):
        kind = rnd.randrange(4)
        if kind == 0:   # random bytes
            raw = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 300)))
        elif kind == 1:   # a request line of random parts
            raw = b" ".join([rnd.choice(methods), rnd.choice(paths), rnd.choice(versions)]) + b"\r\n\r\n"
        elif kind == 2:   # bad headers and lengths
            raw = (b"POST /debug/pprof/symbol HTTP/1.1\r\nHost: x\r\n"
                   + rnd.choice([b"Content-Length: -5\r\n", b"Content-Length: 99999999999\r\n",
                                 b"Transfer-Encoding: chunked\r\n", b": \r\n", b"X\r\n",
                                 b"Content-Length: 3\r\nContent-Length: 4\r\n"])
                   + b"\r\n" + bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 50))))
        else:   # a good request cut anywhere
            good = b"GET /debug/pprof/cmdline HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            raw = good[:rnd.randrange(1, len(good))]
        # Most are sent and dropped with a reset, as a client that died
        # would; one in ten waits (briefly) for what the server says.
        try:
            s = connect(addr, 1.0)
            s.sendall(raw)
            if i % 10 == 0:
                s.shutdown(socket.SHUT_WR)
                try:
                    if s.recv(4096):
                        replies += 1
                except socket.timeout:
                    pass
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()
        except OSError:
            pass
    print("fuzz_sent %d" % n)
    print("fuzz_replies %d" % replies)


def leave(addr, path, read_first):
    s = connect(addr)
    s.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path.encode())
    if read_first:
        s.recv(10)
    # close with a reset, as a client that died would
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def disconnect(addr):
    leave(addr, "/debug/pprof/goroutine", True)
    leave(addr, "/debug/pprof/heap?seconds=1", False)
    leave(addr, "/debug/pprof/profile?seconds=1", False)
    time.sleep(1.5)   # both windows are over and their replies failed
    print("profile_after_a_client_left %d" % get(addr, "/debug/pprof/profile?seconds=1"))


if __name__ == "__main__":
    mode, target = sys.argv[1], sys.argv[2]
    if mode == "clients":
        clients(target, float(sys.argv[3]), int(sys.argv[4]))
    elif mode == "slow":
        slow(target)
    elif mode == "oversize":
        oversize(target)
    elif mode == "fuzz":
        fuzz(target, int(sys.argv[3]), int(sys.argv[4]))
    elif mode == "disconnect":
        disconnect(target)
