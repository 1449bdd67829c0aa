"""`scrutiny <command>`: ingest, search, ask, serve, eval."""

import argparse
import json
import logging
import os
import sys
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_INDEX, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _index_settings(args: argparse.Namespace):
    from indexes import IndexSettings

    overrides = {}
    if getattr(args, "index", None):
        overrides["index_path"] = Path(args.index)
    return IndexSettings(**overrides)


def _open_index(args: argparse.Namespace, purpose: str):
    from indexes import IndexError_, open_index

    try:
        return open_index(_index_settings(args), purpose=purpose)
    except IndexError_ as e:
        print(f"scrutiny: {e}", file=sys.stderr)
        sys.exit(EXIT_INDEX)


def _extend_sentence_vectors(index) -> None:
    """Store the answer stage's vectors of the new passages' sentences, if the index keeps them
    (`scrutiny index sentence-vectors`); /ask would encode those sentences each time otherwise.
    The documents are stored already: a failure here is reported, and the ingest still succeeds."""
    from indexes import IndexError_, SentenceVectors
    from service.answering.sentence_encoder import store_sentence_vectors, storing_encoder

    if not SentenceVectors.stored_in(index.sentence_vectors_folder):
        return

    def log(line: str) -> None:
        print(f"sentence vectors: {line}", file=sys.stderr, flush=True)

    try:
        encoder = storing_encoder(index.settings.model)
        store_sentence_vectors(index, encoder, log=log, extend_only=True)
    except (OSError, IndexError_, ValueError, KeyboardInterrupt) as e:
        log(f"not updated ({type(e).__name__}: {e}); answers are unchanged, only slower: run `scrutiny index sentence-vectors`")


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.pipeline import delete_sources, run_ingest

    index = _open_index(args, "scrutiny ingest")
    try:
        if args.delete:
            summary = delete_sources(args.sources, index)
        else:
            summary = run_ingest(
                args.sources, index, show_progress=not args.json and sys.stderr.isatty(), pdf_backend=args.pdf_backend, access=args.access
            )
        if summary.written and not summary.interrupted:
            _extend_sentence_vectors(index)
    finally:
        index.close()
    if args.json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False))
    else:
        for failure in summary.failed:
            print(f"FAILED {failure['source']}: {failure['reason']}", file=sys.stderr)
        print(summary.line())
    if summary.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_FAILURES if summary.failed else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scrutiny", description="Search and cited answers over council minutes, Ofsted reports and news.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    commands = parser.add_subparsers(dest="command", required=True)

    from councils.access import ACCESS_LEVELS

    ingest = commands.add_parser("ingest", help="index files, folders and URLs (or --delete them)")
    ingest.add_argument("sources", nargs="+", help="files, folders (recursive) or http(s) URLs")
    ingest.add_argument("--index", help="embedded index folder (default: var/index in the project, or SCRUTINY_INDEX_PATH)")
    ingest.add_argument("--delete", action="store_true", help="remove these sources from the index instead")
    ingest.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    ingest.add_argument("--pdf-backend", choices=["pdfium", "pypdf"], default="pdfium", help="PDF text extractor (default: pdfium, ~18x faster)")
    ingest.add_argument(
        "--access",
        choices=ACCESS_LEVELS,
        help="access level of every source of this run, over sidecars, folder rules (.scrutiny-access) and exemption markings",
    )
    ingest.set_defaults(handler=cmd_ingest)

    for register in _optional_commands():
        register(commands)
    return parser


def _optional_commands():
    """Sub-commands provided by the service and eval packages."""
    from cli import index_commands, keys_commands, query_commands

    yield index_commands.register
    yield query_commands.register
    yield keys_commands.register
    try:
        from cli import bench_commands, eval_commands
    except ImportError:
        return
    yield eval_commands.register
    yield bench_commands.register


def _quiet_model_loading() -> None:
    """transformers draws a "Loading weights" bar on every model load; it is noise here."""
    try:
        from transformers.utils import logging as transformers_logging
    except ImportError:
        return
    transformers_logging.disable_progress_bar()


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    _quiet_model_loading()
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
