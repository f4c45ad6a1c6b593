#!/usr/bin/env python3
"""Opens N keep-alive connections to 127.0.0.1:PORT, sends one GET /protected with
a token on each (HTTP/1.1, or h2c with prior knowledge: --h2), reads the answer,
and keeps every connection open and idle. Prints "ready <n>" when all are open,
then waits for stdin to close. Driven by bench/idle_connections.sh.

Needs the `h2` package for --h2 (pip install h2).
"""

import asyncio
import sys


async def http1(port, token):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET /protected HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n".encode()
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(head.split(b"\r\n")[0].decode())
    return writer


async def http2(port, token):
    import h2.config
    import h2.connection
    import h2.events

    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True))
    conn.initiate_connection()
    stream = conn.get_next_available_stream_id()
    conn.send_headers(
        stream,
        [(":method", "GET"), (":path", "/protected"), (":scheme", "http"), (":authority", "127.0.0.1"),
         ("authorization", f"Bearer {token}")],
        end_stream=True,
    )
    writer.write(conn.data_to_send())
    await writer.drain()
    status = None
    while True:
        data = await reader.read(65536)
        if not data:
            raise RuntimeError("closed")
        for event in conn.receive_data(data):
            if isinstance(event, h2.events.ResponseReceived):
                status = dict(event.headers).get(b":status")
            if isinstance(event, h2.events.DataReceived):
                conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            if isinstance(event, h2.events.StreamEnded):
                writer.write(conn.data_to_send())
                if status != b"200":
                    raise RuntimeError(f"status {status}")
                # Answer the server's pings later, as an idle client would.
                asyncio.get_running_loop().create_task(keep_answering(reader, writer, conn))
                return writer
        writer.write(conn.data_to_send())
        await writer.drain()


async def keep_answering(reader, writer, conn):
    while True:
        data = await reader.read(65536)
        if not data:
            return
        conn.receive_data(data)
        writer.write(conn.data_to_send())


async def main():
    port, count, token = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    open_one = http2 if "--h2" in sys.argv else http1
    gate = asyncio.Semaphore(200)
    failures = 0

    async def one():
        nonlocal failures
        async with gate:
            try:
                return await open_one(port, token)
            except Exception as err:  # counted and reported, not fatal
                failures += 1
                if failures <= 3:
                    print(f"connection failed: {err!r}", file=sys.stderr)
                return None

    writers = [w for w in await asyncio.gather(*(one() for _ in range(count))) if w]
    print(f"ready {len(writers)} failed {failures}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    for w in writers:
        w.close()


asyncio.run(main())
