"""`scrutiny bench ingest|latency`: the benchmarks the issues set goals for, as ratios and
percentiles measured in one run (never as a test that could flake on a busy machine)."""

import argparse
import json
from pathlib import Path


def cmd_bench(args: argparse.Namespace) -> int:
    if args.what == "ingest":
        from eval.bench_ingest import bench_ingest

        report = bench_ingest(args.paths or ["sample"])
    else:
        from eval.bench_latency import bench_latency

        report = bench_latency(Path(args.index) if args.index else None, args.questions)
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text)
    return 0


def register(commands) -> None:
    bench = commands.add_parser("bench", help="benchmarks: ingest throughput ratio, query latency")
    bench.add_argument("what", choices=["ingest", "latency"])
    bench.add_argument("paths", nargs="*", help="ingest: files or folders to ingest (default: sample)")
    bench.add_argument("--index", help="latency: the embedded index to query (default: var/index)")
    bench.add_argument("--questions", type=int, default=240, help="latency: how many varied questions")
    bench.add_argument("--json", help="also write the report here")
    bench.set_defaults(handler=cmd_bench)
