#!/usr/bin/env python3
"""The serving scenarios (a scrape alone, behind half-sent requests and a
trickler, after an endless request line), replayed against `router --port 0`.

Usage: python3 scripts/serve_scenarios.py target/debug/examples/router
"""
import re, socket, subprocess, sys, threading, time

ROUTER = sys.argv[1]
proc = subprocess.Popen([ROUTER, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    port = int(re.search(r"127\.0\.0\.1:(\d+)/", proc.stdout.readline()).group(1))
    def mem(field):
        for line in open(f"/proc/{proc.pid}/status"):
            if line.startswith(field + ":"):
                return int(line.split()[1])
    def scrape(timeout=30.0):
        t = time.monotonic()
        s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk: break
            data += chunk
        s.close()
        assert data.startswith(b"HTTP/1.1 200"), data[:80]
        return time.monotonic() - t
    def stalled(n):
        out = []
        for i in range(n):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
            out.append(s)
        return out
    print(f"RSS at start {mem('VmRSS')} kB")
    print(f"scrape alone: {min(scrape() for _ in range(5))*1000:.2f} ms (best of 5)")
    held = stalled(1)
    print(f"behind 1 half-sent request: {scrape()*1000:.2f} ms")
    held += stalled(9)
    print(f"behind 10 half-sent requests: {scrape()*1000:.2f} ms")
    stop = threading.Event()
    def trickle():
        s = socket.create_connection(("127.0.0.1", port))
        for b in b"GET /metrics HTTP/1.1\r\nX: abcdefghij":
            if stop.is_set(): break
            try: s.sendall(bytes([b]))
            except OSError: print("trickler: closed by the server"); break
            stop.wait(3)
    t = threading.Thread(target=trickle); t.start(); time.sleep(0.5)
    print(f"behind a trickler (1 byte / 3 s) and the 10: {scrape()*1000:.2f} ms")
    stop.set(); t.join()
    for s in held: s.close()
    # 512 MiB request line without a newline, on one connection until it is closed.
    total, conns, line = 0, 0, 512 << 20
    chunk = b"a" * (1 << 16)
    t0 = time.monotonic()
    first = None
    while total < line and conns < 100000:
        conns += 1
        s = socket.create_connection(("127.0.0.1", port)); s.settimeout(5)
        s.sendall(b"GET /")
        sent = 0
        try:
            while total < line:
                n = s.send(chunk); total += n; sent += n
        except OSError:
            pass
        if first is None: first = sent
        s.close()
    print(f"512 MiB request line: first connection took {first} bytes before the server closed it; "
          f"{total} bytes over {conns} connections in {time.monotonic()-t0:.1f} s")
    print(f"after: scrape {scrape()*1000:.2f} ms; RSS {mem('VmRSS')} kB, peak (VmHWM) {mem('VmHWM')} kB")
finally:
    proc.kill(); proc.wait()
