"""Peak memory of a server while clients stall in the middle of their request bodies.

    python3 bench/stalled_bodies.py BINARY      # e.g. target/release/examples/quickstart

Starts BINARY (a phial app that reads PORT) and measures its resident memory (VmRSS)
before and after each of two scenes, each on a fresh server:
  http1: 50 HTTP/1.1 connections each declare Content-Length 2 MiB - 1, send all
         but 1 KiB of it, and stall;
  http2: one HTTP/2 connection opens 100 streams that each do the same (needs the
         `h2` package from PyPI).
It prints one line per scene; the stalled clients are closed before the next one.
"""

import os
import socket
import subprocess
import sys
import time

BODY = 2 * 1024 * 1024 - 1
SENT = BODY - 1024


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def start(binary):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, PORT=str(port), RUST_LOG="warn")
    server = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port)).close()
            return server, port
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the server did not start")


def http1(port):
    clients = []
    for _ in range(50):
        conn = socket.create_connection(("127.0.0.1", port))
        conn.setblocking(False)
        head = f"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {BODY}\r\n\r\n"
        pending = head.encode() + b" " * SENT
        clients.append([conn, pending])
    # Send what the server accepts within a few seconds; a server that does not
    # read a body leaves the rest in the client's buffer.
    deadline = time.time() + 4
    while time.time() < deadline and any(pending for _, pending in clients):
        for client in clients:
            conn, pending = client
            if pending:
                try:
                    sent = conn.send(pending[:65536])
                    client[1] = pending[sent:]
                except BlockingIOError:
                    pass
        time.sleep(0.005)
    return [conn for conn, _ in clients]


def http2(port):
    import h2.config
    import h2.connection
    import h2.exceptions

    conn = socket.create_connection(("127.0.0.1", port))
    h2conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True))
    h2conn.initiate_connection()
    conn.sendall(h2conn.data_to_send())
    remaining = {}
    for i in range(100):
        stream = 1 + 2 * i
        h2conn.send_headers(stream, [(":method", "POST"), (":path", "/login"), (":scheme", "http"),
                                     (":authority", "x"), ("content-type", "application/json"),
                                     ("content-length", str(BODY))])
        remaining[stream] = SENT
    conn.sendall(h2conn.data_to_send())
    conn.settimeout(0.05)
    deadline = time.time() + 4
    while time.time() < deadline:
        for stream, left in list(remaining.items()):
            window = min(h2conn.local_flow_control_window(stream), h2conn.max_outbound_frame_size, left)
            if window > 0:
                h2conn.send_data(stream, b" " * window)
                remaining[stream] = left - window
        conn.sendall(h2conn.data_to_send())
        try:
            data = conn.recv(65536)
            if data:
                h2conn.receive_data(data)  # window updates
                conn.sendall(h2conn.data_to_send())
        except socket.timeout:
            pass
    return [conn]


def main():
    binary = sys.argv[1]
    for name, scene in [("http1", http1), ("http2", http2)]:
        server, port = start(binary)
        time.sleep(0.3)
        before = rss_kib(server.pid)
        clients = scene(port)
        time.sleep(1)
        after = rss_kib(server.pid)
        print(f"{name}: RSS {before / 1024:.1f} MiB before, {after / 1024:.1f} MiB with the bodies stalled")
        for client in clients:
            client.close()
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
