"""Load: the real server (`scrutiny serve` on loopback) driven by 1, 4, 16 and 64 concurrent
clients sending varied `/search` and `/ask` requests for a fixed time per level, with the
liveness route `/health/live` and the counting `/health` sampled alongside at a fixed interval.

Reports per level: throughput, p50/p95 latency, errors (any non-2xx or exception), and the
health routes' latency, so "is the service still live under load" is a measured figure.
"""

import asyncio
import json
import os
import time
from collections import Counter
from pathlib import Path

import httpx

from eval.bench_latency import percentiles
from eval.runner import git_commit
from eval.served import served
from indexes import IndexSettings

LEVELS = (1, 4, 16, 64)
SECONDS_PER_LEVEL = 20.0
# How often the health routes are sampled during a level (each on its own connection).
HEALTH_INTERVAL_SECONDS = 0.25
# A request slower than this counts as an error (a client would have given up).
REQUEST_TIMEOUT_SECONDS = 120.0
QUESTIONS = Path(__file__).parent / "data" / "questions.jsonl"
GOALS = {"errors": 0, "health_p95_ms_at_64": 100}


def load_questions(path: Path = QUESTIONS) -> list[str]:
    """The known-answer questions, deduplicated, in file order (varied topics and authorities)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return list(dict.fromkeys(json.loads(line)["question"] for line in lines if line.strip()))


async def _client(http: httpx.AsyncClient, number: int, questions: list[str], stop_at: float, results: dict) -> None:
    """One user: alternately searches and asks, each time a different question."""
    sent = 0
    while time.perf_counter() < stop_at:
        # Clients start at different questions (7919 is prime, so the order is a permutation).
        question = questions[((number * 97 + sent) * 7919) % len(questions)]
        route = "search" if (number + sent) % 2 == 0 else "ask"
        sent += 1
        started = time.perf_counter()
        try:
            if route == "search":
                response = await http.get("/search", params={"q": question, "k": 10})
            else:
                response = await http.post("/ask", json={"question": question})
            outcome = response.status_code
        except httpx.HTTPError as e:
            outcome = type(e).__name__
        elapsed = (time.perf_counter() - started) * 1000
        if outcome == 200:
            results[route].append(elapsed)
        else:
            results["errors"][f"{route} {outcome}"] += 1


async def _sample_health(url: str, stop_at: float, samples: dict) -> None:
    """Both health routes at a fixed interval, each on a connection of its own, like a probe."""
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_SECONDS) as live, httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_SECONDS) as counting:
        while time.perf_counter() < stop_at:
            tick = time.perf_counter()
            for name, http, path in (("health_live", live, "/health/live"), ("health", counting, "/health")):
                started = time.perf_counter()
                try:
                    ok = (await http.get(path)).status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    samples[name].append((time.perf_counter() - started) * 1000)
                else:
                    samples["errors"][path] += 1
            await asyncio.sleep(max(0.0, HEALTH_INTERVAL_SECONDS - (time.perf_counter() - tick)))


async def run_level(url: str, clients: int, seconds: float, questions: list[str]) -> dict:
    results: dict = {"search": [], "ask": [], "errors": Counter()}
    health: dict = {"health_live": [], "health": [], "errors": Counter()}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    # The machine may be shared: what else was running shows in the load average.
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    stop_at = started + seconds
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_SECONDS, limits=limits) as http:
        await asyncio.gather(
            _sample_health(url, stop_at, health),
            *(_client(http, number, questions, stop_at, results) for number in range(clients)),
        )
    # Requests in flight at the deadline finish and are counted: the wall time includes them.
    wall = time.perf_counter() - started
    done = results["search"] + results["ask"]
    errors = sum(results["errors"].values())
    return {
        "clients": clients,
        "seconds": round(wall, 2),
        "requests": len(done) + errors,
        "throughput_rps": round(len(done) / wall, 2),
        "latency": percentiles(done) if done else None,
        "search": percentiles(results["search"]) if results["search"] else None,
        "ask": percentiles(results["ask"]) if results["ask"] else None,
        "errors": errors,
        "error_kinds": dict(results["errors"]),
        "health_live": percentiles(health["health_live"]) if health["health_live"] else None,
        "health": percentiles(health["health"]) if health["health"] else None,
        "health_errors": dict(health["errors"]),
        "load_average_1m_before": round(load_before, 2),
    }


def bench_load(index_path: Path | None = None, levels: tuple[int, ...] = LEVELS, seconds: float = SECONDS_PER_LEVEL) -> dict:
    index_settings = IndexSettings(index_path=index_path) if index_path else IndexSettings()
    questions = load_questions()
    with served(index_settings.index_path) as (url, ready):
        report: dict = {
            "index": str(index_settings.index_path),
            "commit": git_commit(),
            "cpus": os.cpu_count(),
            "questions": len(questions),
            "seconds_per_level": seconds,
            "health_interval_seconds": HEALTH_INTERVAL_SECONDS,
            "ready_seconds": ready,
            "levels": [asyncio.run(run_level(url, clients, seconds, questions)) for clients in levels],
        }
    at_most = max(report["levels"], key=lambda level: level["clients"])
    report["goals"] = GOALS
    report["met"] = {
        "errors": all(level["errors"] == 0 and not level["health_errors"] for level in report["levels"]),
        "health_p95_ms_at_64": all(
            bool(at_most[name]) and at_most[name]["p95_ms"] < GOALS["health_p95_ms_at_64"] for name in ("health_live", "health")
        ),
    }
    return report


def table(report: dict) -> str:
    """The per-level figures as a short text table."""
    header = f"{'clients':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6} {'live p50':>9} {'live p95':>9} {'health p50':>11} {'health p95':>11}"
    rows = [header]
    for level in report["levels"]:
        latency, live, health = level["latency"] or {}, level["health_live"] or {}, level["health"] or {}
        rows.append(
            f"{level['clients']:>7} {level['throughput_rps']:>7} {latency.get('p50_ms', '-'):>8} {latency.get('p95_ms', '-'):>8} {level['errors']:>6} "
            f"{live.get('p50_ms', '-'):>9} {live.get('p95_ms', '-'):>9} {health.get('p50_ms', '-'):>11} {health.get('p95_ms', '-'):>11}"
        )
    return "\n".join(rows)
