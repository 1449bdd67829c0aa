"""`scrutiny bench ingest|latency|load`: the benchmarks the issues set goals for, as ratios and
percentiles measured in one run (never as a test that could flake on a busy machine)."""

import argparse
import json
from pathlib import Path


def cmd_bench(args: argparse.Namespace) -> int:
    summary = None
    if args.what == "ingest":
        from eval.bench_ingest import bench_ingest

        report = bench_ingest(args.paths or ["sample"])
    elif args.what == "load":
        from eval.bench_load import bench_load, table

        report = bench_load(Path(args.index) if args.index else None, tuple(args.clients), args.seconds)
        summary = table(report)
    else:
        from eval.bench_latency import bench_latency

        report = bench_latency(Path(args.index) if args.index else None, args.questions)
    text = json.dumps(report, indent=2)
    print(summary if summary is not None else text)
    if args.json:
        Path(args.json).write_text(text)
    return 0


def register(commands) -> None:
    bench = commands.add_parser("bench", help="benchmarks: ingest throughput ratio, query latency, load and liveness")
    bench.add_argument("what", choices=["ingest", "latency", "load"])
    bench.add_argument("paths", nargs="*", help="ingest: files or folders to ingest (default: sample)")
    bench.add_argument("--index", help="latency, load: the embedded index to query (default: var/index)")
    bench.add_argument("--questions", type=int, default=240, help="latency: how many varied questions")
    bench.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16, 64], help="load: concurrent clients per level")
    bench.add_argument("--seconds", type=float, default=20.0, help="load: seconds per level")
    bench.add_argument("--json", help="also write the report here")
    bench.set_defaults(handler=cmd_bench)
