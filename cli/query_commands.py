"""`scrutiny search`, `scrutiny ask` and `scrutiny serve`: the service's engine from the terminal.
`--json` prints exactly the body the HTTP API returns."""

import argparse
import sys
import textwrap
from datetime import date
from pathlib import Path

EXIT_OK, EXIT_USAGE, EXIT_INDEX = 0, 2, 3


def _service_settings(args: argparse.Namespace):
    from indexes import IndexSettings
    from service.settings import ServiceSettings

    index = IndexSettings(index_path=Path(args.index)) if args.index else IndexSettings()
    overrides = {"index": index}
    for name in ("host", "port", "answerer", "relevance_floor", "allow_open"):
        if getattr(args, name, None) is not None:
            overrides[name] = getattr(args, name)
    return ServiceSettings(**overrides)


def _filters(args: argparse.Namespace):
    from service.schemas import Filters

    return Filters(authority=args.authority or [], type=args.type or [], body=args.body or [], since=args.since, until=args.until)


def _with_engine(args: argparse.Namespace, purpose: str, action):
    from indexes import IndexError_, open_index
    from service.engine import QueryEngine
    from service.errors import ServiceError

    settings = _service_settings(args)
    try:
        index = open_index(settings.index, purpose=purpose)
    except IndexError_ as e:
        print(f"scrutiny: {e}", file=sys.stderr)
        return EXIT_INDEX
    try:
        engine = QueryEngine(index, settings)
        return action(engine)
    except ServiceError as e:
        print(f"scrutiny: {e.message}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        index.close()


def _describe(item) -> str:
    from councils.dates import uk_date

    parts = [item.title or "(untitled)", item.authority, item.body, uk_date(item.date) or item.date, f"p. {item.page}" if item.page else None]
    return " — ".join(p for p in parts if p)


def cmd_search(args: argparse.Namespace) -> int:
    def action(engine) -> int:
        response = engine.search(args.query, _filters(args), k=args.k, sort=args.sort)
        if args.json:
            print(response.model_dump_json())
            return EXIT_OK
        if not response.results:
            print(response.message or "No passages found.")
        for number, passage in enumerate(response.results, start=1):
            print(f"[{number}] {_describe(passage)}")
            print(textwrap.indent(textwrap.fill(passage.quote, 100), "    "))
            print(f"    {passage.url or passage.source}  (characters {passage.start}-{passage.end})\n")
        return EXIT_OK

    return _with_engine(args, "scrutiny search", action)


def cmd_ask(args: argparse.Namespace) -> int:
    from service.schemas import AskRequest

    def action(engine) -> int:
        response = engine.ask(AskRequest(question=args.question, filters=_filters(args), k=args.k))
        if args.json:
            print(response.model_dump_json())
            return EXIT_OK
        if response.abstained:
            print(f"Not found: {response.reason}.")
            if response.passages:
                print("\nClosest passages:")
                for number, passage in enumerate(response.passages[:3], start=1):
                    print(f"  ({number}) {_describe(passage)}\n{textwrap.indent(textwrap.fill(passage.quote[:400], 100), '      ')}")
            return EXIT_OK
        print(textwrap.fill(response.answer, 100))
        print()
        for citation in response.citations:
            print(f"[{citation.n}] {_describe(citation)}")
            print(f"    {citation.url or citation.source}  (characters {citation.start}-{citation.end})")
        return EXIT_OK

    return _with_engine(args, "scrutiny ask", action)


def _without_torch() -> None:
    """The query service never runs torch (queries are embedded by ONNX Runtime), but Haystack
    imports it eagerly when installed, which costs about half of the 10-second start-up budget.
    Once the ONNX export exists, hide torch from this process before Haystack is imported."""
    if "torch" not in sys.modules and "haystack" not in sys.modules:
        sys.modules["torch"] = None


def cmd_commitments(args: argparse.Namespace) -> int:
    from service.tracking import ScrutinyTracker

    def action(engine) -> int:
        register = ScrutinyTracker(engine).commitments(_filters(args), who=args.who, status=args.status, as_of=args.as_of)
        if args.json:
            print(register.model_dump_json())
            return EXIT_OK
        print(f"{register.total} commitments (deadlines judged as of {register.as_of})\n")
        for item in register.commitments:
            print(f"[{item.status.upper()}] {_describe(item.citation)} — {item.who or 'unknown'}; due: {item.due_text or 'not stated'}")
            print(textwrap.indent(textwrap.fill(item.what, 100), "    "))
            if item.evidence:
                print(f"    follow-up: {_describe(item.evidence)}: {item.evidence.quote[:200]}")
            else:
                print(f"    no follow-up found in {item.later_documents_searched} later documents")
            print()
        return EXIT_OK

    return _with_engine(args, "scrutiny commitments", action)


def cmd_compare(args: argparse.Namespace) -> int:
    from service.schemas import CompareRequest
    from service.tracking import ScrutinyTracker

    if not args.authority or len(args.authority) < 2:
        print("scrutiny: compare needs at least two --authority", file=sys.stderr)
        return EXIT_USAGE
    filters = _filters(args).model_copy(update={"authority": []})

    def action(engine) -> int:
        response = ScrutinyTracker(engine).compare(CompareRequest(question=args.question, authorities=args.authority, filters=filters, k=args.k))
        if args.json:
            print(response.model_dump_json())
            return EXIT_OK
        for row in response.rows:
            print(f"== {row.authority}")
            print(textwrap.fill(row.answer, 100) if row.answer else row.reason)
            for citation in row.citations:
                print(f"  [{citation.n}] {_describe(citation)}  {citation.url or citation.source}")
            print()
        return EXIT_OK

    return _with_engine(args, "scrutiny compare", action)


def cmd_serve(args: argparse.Namespace) -> int:
    settings = _service_settings(args)
    from service.auth import KeyStore, check_bind
    from service.errors import ServiceError
    from service.model_export import ensure_exported

    try:
        check_bind(settings.host, KeyStore(settings.keys_file), settings.allow_open)
    except ServiceError as e:
        print(f"scrutiny: {e.message}", file=sys.stderr)
        return EXIT_USAGE

    ensure_exported(settings.index.model)
    _without_torch()
    import uvicorn

    from indexes import IndexError_
    from service.app import create_app
    from service.middleware import uvicorn_log_config

    try:
        # uvicorn's access log prints query strings (questions, maybe keys): ours prints the path only.
        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info", access_log=False, log_config=uvicorn_log_config())
    except IndexError_ as e:
        print(f"scrutiny: {e}", file=sys.stderr)
        return EXIT_INDEX
    return EXIT_OK


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--authority", action="append", help="authority, any spelling; repeat for several")
    parser.add_argument("--type", action="append", choices=["minutes", "ofsted_report", "news", "report"], help="document type; repeatable")
    parser.add_argument("--body", action="append", help="committee or publisher, e.g. Cabinet; repeatable")
    parser.add_argument("--since", type=date.fromisoformat, help="earliest date, YYYY-MM-DD")
    parser.add_argument("--until", type=date.fromisoformat, help="latest date, YYYY-MM-DD")
    parser.add_argument("--index", help="embedded index folder (default: var/index, or SCRUTINY_INDEX_PATH)")
    parser.add_argument("--json", action="store_true", help="print the API's JSON response body")


def register(commands) -> None:
    search = commands.add_parser("search", help="find passages (hybrid dense + BM25)")
    search.add_argument("query")
    search.add_argument("--k", type=int, default=10, help="passages to show (1-100)")
    search.add_argument("--sort", choices=["relevance", "date"], default="relevance")
    _add_filters(search)
    search.set_defaults(handler=cmd_search)

    ask = commands.add_parser("ask", help="answer a question with cited quotes, or say it is not found")
    ask.add_argument("question")
    ask.add_argument("--k", type=int, default=5, help="passages returned beside the answer (1-50)")
    _add_filters(ask)
    ask.set_defaults(handler=cmd_ask)

    commitments = commands.add_parser("commitments", help="the commitments register with follow-up status")
    commitments.add_argument("--who", help="part of a name or role, e.g. Director")
    commitments.add_argument("--status", choices=["evidenced", "overdue", "open", "no_later_papers"])
    commitments.add_argument("--as-of", type=date.fromisoformat, help="judge deadlines as of this date (default today)")
    _add_filters(commitments)
    commitments.set_defaults(handler=cmd_commitments)

    compare = commands.add_parser("compare", help="answer one question separately for several authorities")
    compare.add_argument("question")
    compare.add_argument("--k", type=int, default=3)
    _add_filters(compare)
    compare.set_defaults(handler=cmd_compare)

    serve = commands.add_parser("serve", help="run the HTTP API (docs at /docs)")
    serve.add_argument("--index", help="embedded index folder")
    serve.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8000)")
    serve.add_argument(
        "--allow-open", action="store_true", default=None,
        help="serve a non-loopback address with no access keys (refused otherwise; see 'scrutiny keys')",
    )
    serve.set_defaults(handler=cmd_serve)
