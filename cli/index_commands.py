"""`scrutiny index check [--repair]`: find (and remove) what an interrupted ingest left behind.
`scrutiny index sentence-vectors`: store the answer stage's vector of every sentence."""

import argparse
import json
import sys

EXIT_OK, EXIT_FAILURES = 0, 1


def cmd_index_check(args: argparse.Namespace) -> int:
    from cli.main import _open_index
    from ingest.pipeline import refresh_access

    index = _open_index(args, "scrutiny index check")
    try:
        found = index.integrity()
        without_access = sum(1 for d in index.iter_documents(fields=["document_id", "access"]) if not d.get("access"))
        report = {**found.counts(), "without_access": without_access, "repaired": False}
        if args.repair:
            index.repair(found)
            report["given_access"] = refresh_access(index)
            report["repaired"] = True
    finally:
        index.close()
    is_clean = found.is_clean and not without_access
    if args.json:
        print(json.dumps(report))
    else:
        print(
            f"{report['documents']} documents; {report['orphan_chunks']} orphan chunks and {report['orphan_commitments']} orphan "
            f"commitments of {report['orphan_documents']} missing documents; {report['incomplete_documents']} incomplete documents; "
            f"{without_access} documents without an access level"
            + (" - repaired" if args.repair and not is_clean else "" if is_clean else " - run with --repair to fix")
        )
    return EXIT_OK if is_clean or args.repair else EXIT_FAILURES


def cmd_index_sentence_vectors(args: argparse.Namespace) -> int:
    from cli.main import _open_index
    from service.answering.sentence_encoder import store_sentence_vectors, storing_encoder

    index = _open_index(args, "scrutiny index sentence-vectors")
    try:
        # The shipped answer model's encoder: the one the service answers with.
        encoder = storing_encoder(index.settings.model)
        store_sentence_vectors(index, encoder, log=lambda line: print(line, file=sys.stderr, flush=True))
    finally:
        index.close()
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    index = commands.add_parser("index", help="look after the index itself")
    actions = index.add_subparsers(dest="index_action", required=True)
    check = actions.add_parser(
        "check",
        help="find chunks and commitments without a document record, documents missing chunks, and documents "
        "without an access level; exit status 1 if any",
    )
    check.add_argument("--repair", action="store_true", help="remove orphans and incomplete documents (re-ingest to restore them), and give missing access levels")
    check.add_argument("--index", help="embedded index folder (default: var/index in the project, or SCRUTINY_INDEX_PATH)")
    check.add_argument("--json", action="store_true", help="print the report as one JSON object")
    check.set_defaults(handler=cmd_index_check)
    vectors = actions.add_parser(
        "sentence-vectors",
        help="store the answer encoder's vector of every sentence in the index, so /ask looks them up instead of "
        "encoding them (~0.2 s an answer); run after training the answer model (ingest extends them). Resumes if "
        "interrupted; a running service reads them when next started",
    )
    vectors.add_argument("--index", help="embedded index folder (default: var/index in the project, or SCRUTINY_INDEX_PATH)")
    vectors.set_defaults(handler=cmd_index_sentence_vectors)
