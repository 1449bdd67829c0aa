"""`scrutiny keys add|list|revoke`: the service's access keys (stored as digests only)."""

import argparse
import json
import sys

EXIT_OK, EXIT_USAGE = 0, 2


def _store():
    from service.auth import KeyStore
    from service.settings import ServiceSettings

    return KeyStore(ServiceSettings().keys_file)


def cmd_keys(args: argparse.Namespace) -> int:
    from service.errors import ServiceError

    try:
        return _keys(args, _store())
    except ServiceError as e:
        print(f"scrutiny: {e.message}", file=sys.stderr)
        return EXIT_USAGE


def _keys(args: argparse.Namespace, store) -> int:
    if args.action == "add":
        if not args.name or not args.role:
            print("scrutiny: keys add needs --name and --role", file=sys.stderr)
            return EXIT_USAGE
        key, secret = store.add(args.name, args.role)
        if args.json:
            print(json.dumps({"id": key.id, "name": key.name, "role": key.role, "key": secret}))
        else:
            print(f"key {key.id} for {key.name} ({key.role}); it is shown this once, keep it safe:\n{secret}")
        return EXIT_OK
    if args.action == "revoke":
        if not args.id:
            print("scrutiny: keys revoke needs the key's id (see 'scrutiny keys list')", file=sys.stderr)
            return EXIT_USAGE
        try:
            key = store.revoke(args.id)
        except KeyError:
            print(f"scrutiny: no key with id {args.id!r} in {store.path}", file=sys.stderr)
            return EXIT_USAGE
        print(f"key {key.id} ({key.name}) revoked")
        return EXIT_OK
    keys = store.keys()
    if args.json:
        print(json.dumps([k.model_dump(mode="json", exclude={"sha256"}) for k in keys]))
    elif not keys:
        print(f"no keys in {store.path}: the service runs open, on this computer only")
    for key in [] if args.json else keys:
        state = f"revoked {key.revoked:%Y-%m-%d}" if key.revoked else "active"
        print(f"{key.id}  {key.role:<8} {state:<18} {key.name}  (created {key.created:%Y-%m-%d})")
    return EXIT_OK


def register(commands) -> None:
    keys = commands.add_parser("keys", help="create, list and revoke the HTTP service's access keys")
    keys.add_argument("action", choices=["add", "list", "revoke"])
    keys.add_argument("id", nargs="?", help="revoke: the key's id")
    keys.add_argument("--name", help="add: who the key is for")
    keys.add_argument("--role", choices=["public", "member", "officer"], help="add: public (published papers), member, officer (everything)")
    keys.add_argument("--json", action="store_true", help="print JSON (add: includes the key itself)")
    keys.set_defaults(handler=cmd_keys)
