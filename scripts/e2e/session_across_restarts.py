"""A legacy MCP session (official Python SDK, mcp==2.3.0, legacy mode) keeps working while the
tenant's worker is restarted (SIGHUP), killed (SIGKILL) and stopped (SIGTERM) underneath it:
the next call in the same session succeeds without a new initialize.

usage: python session_across_restarts.py URL CLIENT_ID PIDFILE
"""

import asyncio
import os
import signal
import sys

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client


def read_pid(path):
    try:
        with open(path) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return ") Z " not in f.read()
    except OSError:
        return False


async def wait_for(condition, what, timeout=10.0):
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise SystemExit(f"FAIL: timed out waiting for {what}")


async def call(client, label):
    result = await client.call_tool("core_list_zonas", {})
    if result.is_error:
        raise SystemExit(f"FAIL: {label}: tool error {result.content}")
    print(f"ok: {label}")


async def main(url, client_id, pidfile):
    async with httpx2.AsyncClient(headers={"X-Client-ID": client_id}) as http:
        async with Client(streamable_http_client(url, http_client=http), mode="legacy", cache=None) as client:
            print(f"connected: protocolVersion={client.protocol_version}")
            await call(client, "first call in the session")

            old = read_pid(pidfile)
            os.kill(old, signal.SIGHUP)
            await wait_for(lambda: read_pid(pidfile) not in (None, old), "a replacement worker")
            await wait_for(lambda: not alive(old), "the old worker to exit")
            await call(client, "same session after a graceful restart (SIGHUP)")

            old = read_pid(pidfile)
            os.kill(old, signal.SIGKILL)
            # Reaped by the supervisor (its pid file is gone), not merely a zombie: a killed
            # multithreaded process shows state Z while its other threads still hold its
            # sockets open, and a request sent then reaches the dying worker (502, in flight).
            await wait_for(lambda: not alive(old) and read_pid(pidfile) != old, "the killed worker to be reaped")
            await call(client, "same session after the worker was killed (SIGKILL)")

            old = read_pid(pidfile)
            os.kill(old, signal.SIGTERM)
            await wait_for(lambda: not alive(old), "the stopped worker to exit")
            await call(client, "same session after the worker was stopped (SIGTERM)")
    print("OK")


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
