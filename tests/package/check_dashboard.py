#!/usr/bin/python3
# The Grafana dashboard (packaging/grafana/chat-server.json) is valid JSON and every series its
# queries name is one the server exports: starts the real server with --metrics-listen, scrapes
# /metrics once, and compares. Usage: check_dashboard.py CHAT_SERVER DASHBOARD.
import json
import re
import subprocess
import sys
import tempfile
import urllib.request

SERIES = re.compile(r"\b((?:chat|process)_[a-z0-9_]+)\b")


def exported_series(server):
    with tempfile.TemporaryDirectory() as folder:
        process = subprocess.Popen([server, "--port", "0", "--metrics-listen", "127.0.0.1:0", "--data-dir", folder,
                                    "--web-root", folder], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            port = None
            for line in process.stdout:  # "metrics on ..." comes before "listening on ..."
                match = re.match(r"metrics on http://127\.0\.0\.1:(\d+)/metrics", line)
                if match:
                    port = int(match.group(1))
                if line.startswith("listening on"):
                    break
            if port is None:
                raise SystemExit("the server printed no metrics line")
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=60) as answer:
                text = answer.read().decode()
        finally:
            process.terminate()
            process.wait(timeout=60)
    names = set()
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[:2] == ["#", "TYPE"]:
            names.add(parts[2])
            if parts[3] == "histogram":
                names.update(parts[2] + suffix for suffix in ("_bucket", "_sum", "_count"))
    return names


def queries(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "expr" and isinstance(value, str):
                yield value
            else:
                yield from queries(value)
    elif isinstance(node, list):
        for item in node:
            yield from queries(item)


def main():
    server, dashboard_path = sys.argv[1], sys.argv[2]
    with open(dashboard_path, encoding="utf-8") as file:
        dashboard = json.load(file)  # raises (the test fails) on invalid JSON
    exprs = list(queries(dashboard))
    if not exprs:
        raise SystemExit("the dashboard has no queries")
    exported = exported_series(server)
    unknown = sorted({name for expr in exprs for name in SERIES.findall(expr)} - exported)
    if unknown:
        raise SystemExit(f"the dashboard names series the server does not export: {', '.join(unknown)}")
    print(f"{len(exprs)} queries, every series they name is exported ({len(exported)} exported)")


main()
