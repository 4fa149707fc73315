"""Login and roles for team deployments (`RAG_AUTH=users`), off by default on a laptop.

Users live in a YAML file (`RAG_USERS`) in streamlit-authenticator's own format (credentials ->
usernames -> name, bcrypt password hash, roles), made with `python -m rag users add NAME --role
editor`. Checking a password, normalising the user name and counting failed attempts is
streamlit-authenticator's `AuthenticationController`; this module only adds the roles the app
needs and the checks the server makes on every action:

- *reader*: ask, export, give feedback;
- *editor*: also upload and delete reports.

`require_editor` is called by the upload and delete functions themselves (`rag.ui.uploads`), not
only by the page hiding their buttons, so no request a reader can make reaches the store.
The file is read, never written by the app (the library is given a dict, not the path).

Lockout: the library counts failed attempts per browser session only, which a new session
resets. So `login` counts them in the audit trail, which every session and process shares: after
`RAG_LOGIN_ATTEMPTS` failures in a row for one user name (within `RAG_LOGIN_LOCK_MINUTES`), the
name is locked until that many minutes after its last failure. While locked, no password is
checked at all; each refused try is audited (`locked`), and so is the moment the lock starts
(`lockout`). A successful login (`ok`) starts the count again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rag.core import audit
from rag.core.errors import ConfigError, RagError

ROLES = ("reader", "editor")
NO_AUTH_ROLE = "editor"  # the single-user laptop set-up: the one user does everything


class AccessError(RagError):
    """The signed-in user's role does not allow this action."""


class LockedOut(RagError):
    """Too many failed logins for one user name: it is locked for a while."""


@dataclass(frozen=True)
class User:
    name: str
    role: str

    @property
    def can_edit(self) -> bool:
        return self.role == "editor"


LOCAL = User("anonymous", NO_AUTH_ROLE)


def require_editor(user: User) -> None:
    """Refuse an upload or deletion by anyone but an editor (checked on the server side)."""
    if not user.can_edit:
        raise AccessError(
            f"{user.name} is a reader: only editors can upload or delete reports. Ask an "
            "administrator for the editor role (`python -m rag users add NAME --role editor`).",
            code="forbidden",
            name=user.name,
        )


def load_users(path: str | Path) -> dict[str, Any]:
    """The credentials dict of the users file; a missing or empty file says how to make one."""
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        data = {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"Cannot read the users file {path} ({exc}): fix or remove it.") from None
    credentials = data.get("credentials") or {}
    if not credentials.get("usernames"):
        raise ConfigError(
            f"RAG_AUTH=users but {path} holds no users: add one with "
            "`python -m rag users add NAME --role editor`."
        )
    return credentials


def add_user(path: str | Path, name: str, password: str, role: str) -> None:
    """Add or replace a user in the users file, with a bcrypt hash of the password."""
    import yaml
    from streamlit_authenticator.utilities.hasher import Hasher

    if role not in ROLES:
        raise ConfigError(f"Unknown role {role!r}: use one of {', '.join(ROLES)}.")
    name = name.strip().lower()  # the library compares lower-cased names
    if not name or len(password) < 8:
        raise ConfigError("Give a user name and a password of at least 8 characters.")
    path = Path(path)
    data: dict[str, Any] = {}
    if path.is_file():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    users = data.setdefault("credentials", {}).setdefault("usernames", {})
    users[name] = {"name": name, "password": Hasher.hash(password), "roles": [role]}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(yaml.safe_dump(data, sort_keys=True), encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)


def check_login(credentials: dict[str, Any], name: str, password: str) -> User | None:
    """The user, when the password is right (streamlit-authenticator checks the bcrypt hash and
    counts failed attempts; it sets its session keys, so call it inside the app)."""
    from streamlit_authenticator.controllers import AuthenticationController

    controller = AuthenticationController(credentials, auto_hash=False)
    try:
        ok = controller.login(name, password, max_login_attempts=10)
    except Exception:  # noqa: BLE001 - LoginError (too many attempts, empty fields): refused
        ok = False
    if not ok:
        return None
    key = name.strip().lower()
    roles = credentials["usernames"][key].get("roles") or ["reader"]
    return User(key, "editor" if "editor" in roles else "reader")


def locked_until(
    trail: str | Path, name: str, attempts: int, minutes: float, now: datetime | None = None
) -> datetime | None:
    """When the lock on `name` ends, if it is locked now: `attempts` failed logins in the audit
    trail since its last successful one, all within `minutes`, lock it until `minutes` after the
    last of them. Names are compared as the library does (trimmed, lower case)."""
    now = now or datetime.now(UTC)
    window = timedelta(minutes=minutes)
    key = name.strip().lower()[:100]
    failures: list[datetime] = []
    for e in audit.read(trail):
        if e.action != "login" or e.user.strip().lower() != key:
            continue
        if e.result == "ok":
            failures.clear()
        elif e.result == "failed":
            failures.append(datetime.fromisoformat(e.time))
    recent = [t for t in failures if t > now - window]
    if len(recent) < attempts:
        return None
    until = recent[-1] + window
    return until if until > now else None


def _locked(name: str, until: datetime) -> LockedOut:
    minutes = max(1, math.ceil((until - datetime.now(UTC)).total_seconds() / 60))
    at = until.strftime("%H:%M")
    return LockedOut(
        f"Too many failed logins for {name}: try again in {minutes} min (at {at} UTC), or ask "
        "an administrator to reset the password.",
        code="login_locked",
        name=name,
        minutes=minutes,
        at=at,
    )


def login(
    audit_path: str,
    credentials: dict[str, Any],
    name: str,
    password: str,
    attempts: int = 5,
    minutes: float = 15,
) -> User | None:
    """`check_login`, with every attempt in the audit trail (the name as typed); raises LockedOut
    (without checking the password) while the name is locked, and when this failure locks it."""
    shown = name.strip()[:100]
    until = locked_until(audit_path, name, attempts, minutes)
    if until is not None:
        detail = f"locked until {until.isoformat(timespec='seconds')}"
        audit.append(audit_path, audit.AuditEvent(shown, "login", "locked", detail=detail))
        raise _locked(shown.lower(), until)
    user = check_login(credentials, name, password)
    if user is not None:
        audit.append(audit_path, audit.AuditEvent(user.name, "login", "ok"))
        return user
    audit.append(audit_path, audit.AuditEvent(shown, "login", "failed"))
    until = locked_until(audit_path, name, attempts, minutes)
    if until is not None:
        detail = (
            f"{attempts} failed logins within {minutes:g} min; locked until "
            f"{until.isoformat(timespec='seconds')}"
        )
        audit.append(audit_path, audit.AuditEvent(shown, "login", "lockout", detail=detail))
        raise _locked(shown.lower(), until)
    return None


def oidc_user(claims: dict[str, Any], editors: str) -> User:
    """The user `st.user` describes after an OpenID Connect login: named by e-mail (or subject),
    an editor when listed in RAG_EDITORS.

    >>> oidc_user({"sub": "x1", "email": "An@Example.nl"}, "an@example.nl, bo@example.nl")
    User(name='an@example.nl', role='editor')
    """
    name = str(claims.get("email") or claims.get("sub") or "").strip().lower()
    listed = {e.strip().lower() for e in editors.split(",") if e.strip()}
    return User(name, "editor" if name in listed else "reader")
