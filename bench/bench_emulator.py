"""Emulator throughput: create and get-by-id requests/second, and listing 1,000 events.

Run: .venv/bin/python bench/bench_emulator.py [--runs 5] [--requests 400]
Each figure is the median of --runs runs against one in-process EmulatorServer (uvicorn on
127.0.0.1), driven by httpx clients: one client per worker thread, at concurrency 1 and 4.
"""

from __future__ import annotations

import argparse
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import httpx

from graphcal.emulator.server import EmulatorServer

BODY = {
    "subject": "bench", "body": {"contentType": "HTML", "content": "Does noon work for you?"},
    "start": {"dateTime": "2017-04-15T12:00:00", "timeZone": "Pacific Standard Time"},
    "end": {"dateTime": "2017-04-15T14:00:00", "timeZone": "Pacific Standard Time"},
    "location": {"displayName": "Harry's Bar"},
    "attendees": [{"emailAddress": {"address": "someone@example.com", "name": "Someone"}, "type": "required"}],
}
PREFER = {"Prefer": 'outlook.timezone="Pacific Standard Time"'}


def _client(srv: EmulatorServer) -> httpx.Client:
    r = httpx.post(srv.token_url, data={"grant_type": "password", "username": "AlexW@contoso.com",
                                        "password": "alex-emulator-pw"})
    return httpx.Client(base_url=srv.base_url + "/", headers={
        "Authorization": f"Bearer {r.json()['access_token']}", **PREFER})


def _rate(clients: list[httpx.Client], n: int, call: Callable[[httpx.Client, int], None]) -> float:
    workers = len(clients)
    per = n // workers

    def work(w: int) -> None:
        c = clients[w]
        for i in range(per):
            call(c, i)
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(work, range(workers)))
    return per * workers / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=400, help="requests per run")
    args = parser.parse_args()

    with EmulatorServer() as srv:
        clients = [_client(srv) for _ in range(4)]
        ids: list[str] = []

        def create(c: httpx.Client, i: int) -> None:
            assert c.post("me/events", json=BODY).status_code == 201

        def get(c: httpx.Client, i: int) -> None:
            assert c.get(f"me/events/{ids[i % len(ids)]}").status_code == 200

        print(f"emulator bench: median of {args.runs} runs, {args.requests} requests per run")
        for concurrency in (1, 4):
            for name, call in (("create (POST /me/events)", create), ("get by id", get)):
                rates = []
                for _ in range(args.runs):
                    srv.reset()  # every run starts from empty mailboxes
                    ids[:] = [clients[0].post("me/events", json=BODY).json()["id"] for _ in range(20)]
                    rates.append(_rate(clients[:concurrency], args.requests, call))
                print(f"  {name:<26} concurrency {concurrency}: {statistics.median(rates):8.0f} req/s"
                      f"  (min {min(rates):.0f}, max {max(rates):.0f})")

        srv.reset()
        ids[:] = [clients[0].post("me/events", json=BODY).json()["id"]]
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda i: clients[i % 4].post("me/events", json=BODY), range(999)))
        timings = []
        for _ in range(args.runs):
            t = time.perf_counter()
            r = clients[0].get("me/events", params={"$top": "1000", "$orderby": "start/dateTime"})
            timings.append(time.perf_counter() - t)
            assert len(r.json()["value"]) == 1000, len(r.json()["value"])
        size = len(r.content)
        one = []
        for _ in range(args.runs):
            t = time.perf_counter()
            clients[0].get(f"me/events/{ids[0]}")
            one.append(time.perf_counter() - t)
        print(f"  list 1,000 events ($top=1000, $orderby, Prefer zone): median "
              f"{statistics.median(timings) * 1000:.1f} ms for {size / 1e6:.2f} MB "
              f"({statistics.median(timings) / statistics.median(one):.0f}x one get-by-id)")
        for c in clients:
            c.close()


if __name__ == "__main__":
    main()
