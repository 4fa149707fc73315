"""`python -m rag users`: manage the users file of `RAG_AUTH=users`.

python -m rag users add NAME --role editor     # asks for the password (or reads it on stdin)
python -m rag users list
"""

from __future__ import annotations

import argparse
import getpass
import sys

from rag.core.config import Config
from rag.core.errors import RagError
from rag.ui.auth import ROLES, add_user, load_users


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m rag users", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add or replace a user")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, default="reader")
    sub.add_parser("list", help="list the users and their roles")
    args = p.parse_args(argv)
    try:
        config = Config.from_env()
        if args.command == "add":
            if sys.stdin.isatty():
                password = getpass.getpass(f"password for {args.name}: ")
            else:
                password = sys.stdin.readline().rstrip("\n")
            add_user(config.users, args.name, password, args.role)
            print(f"{args.name.strip().lower()}: {args.role} (in {config.users})")
            return 0
        for name, user in sorted(load_users(config.users)["usernames"].items()):
            print(f"{name}: {', '.join(user.get('roles') or ['reader'])}")
        return 0
    except RagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
