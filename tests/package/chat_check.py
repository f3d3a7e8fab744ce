#!/usr/bin/python3
# Talks to a running chat server as a browser would: fetches the web client from it and chats over
# a real WebSocket with two clients (one on protocol version 2, whose lines the store must keep).
# Usage: chat_check.py PORT WEB_ROOT. Exits 0 when all went as it must, 1 with the reason otherwise.
# Needs Debian's python3-websockets (for /usr/bin/python3).
import asyncio
import gzip
import json
import pathlib
import re
import sys
import urllib.request

import websockets

TIMEOUT_S = 60  # generous: waits end on the awaited frame, the timeout only catches a hang


def fetch(port, path, headers=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
        return answer.status, answer.headers, answer.read()


def check_site(port, web_root):
    root = pathlib.Path(web_root)
    # The page names the program's content-named files (client_wasm/assemble_site.cmake).
    page = (root / "index.html").read_text(encoding="utf-8")
    program = re.findall(r"chat_client\.[0-9a-f]{12}\.(?:js|wasm)", page)
    if len(program) != 2:
        raise AssertionError(f"index.html names {program}, not the program's .js and .wasm")
    for path, file in [("/", "index.html")] + [("/" + name, name) for name in program]:
        status, headers, body = fetch(port, path)
        expected = (root / file).read_bytes()
        if status != 200 or body != expected:
            raise AssertionError(f"GET {path}: {status}, {len(body)} bytes, not the {len(expected)} of {file}")
        print(f"GET {path}: 200, {len(body)} bytes, {headers.get('Content-Type', '')}")
        status, headers, body = fetch(port, path, {"Accept-Encoding": "gzip"})
        if headers.get("Content-Encoding") != "gzip" or gzip.decompress(body) != expected:
            raise AssertionError(f"GET {path} accepting gzip: {headers.get('Content-Encoding')}, not the gzip of {file}")
        print(f"GET {path} accepting gzip: {len(body)} bytes, {headers.get('Cache-Control')}")


async def wait_for(ws, wanted, what):
    async def loop():
        while True:
            frame = json.loads(await ws.recv())
            if all(frame.get(key) == value for key, value in wanted.items()):
                return frame
            if "error" in frame:
                raise AssertionError(f"waiting for {what}, got an error: {frame}")
    return await asyncio.wait_for(loop(), TIMEOUT_S)


async def chat(port):
    url = f"ws://127.0.0.1:{port}/ws"
    async with websockets.connect(url, open_timeout=TIMEOUT_S) as alice, websockets.connect(url, open_timeout=TIMEOUT_S) as bob:
        await alice.send(json.dumps({"action": "login", "user": "alice", "version": 2}))
        await wait_for(alice, {"event": "logged_in", "user": "alice"}, "alice's login")
        await bob.send(json.dumps({"action": "login", "user": "bob"}))
        await wait_for(bob, {"event": "logged_in", "user": "bob"}, "bob's login")
        await alice.send(json.dumps({"action": "send_message", "message": "salut du paquet"}))
        stored = await wait_for(alice, {"event": "chat", "text": "salut du paquet"}, "alice's own line back")
        if not isinstance(stored.get("id"), int):
            raise AssertionError(f"a version-2 line comes back with its stored id: {stored}")
        await wait_for(bob, {"event": "chat", "message": "alice: salut du paquet"}, "alice's line at bob")
        print(f"chatted: alice's line stored as id {stored['id']} and delivered to bob")


def main():
    port, web_root = int(sys.argv[1]), sys.argv[2]
    try:
        check_site(port, web_root)
        asyncio.run(chat(port))
    except Exception as failure:  # any failure is the test's answer, said in one line
        print(f"chat_check: {type(failure).__name__}: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
