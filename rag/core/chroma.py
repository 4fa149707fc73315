"""Connecting to Chroma: the client, its timeout and token, a write lock, and errors as messages.

A Chroma server that is down, frozen (SIGSTOP), answering with something that is not Chroma, or
refusing our token must give one message that says so within seconds, never a hang or a
traceback. So every HTTP request carries a timeout (`RAG_STORE_TIMEOUT`, set on the client's
httpx session: chromadb creates it with `timeout=None`), and `translate` turns whatever a failed
call raised into a `StoreError`, asking the server's heartbeat (`probe`) what is wrong. The client
reconnects by itself, so the next call after the server is back simply works.

The token (`RAG_CHROMA_TOKEN`) is sent with Chroma's own client token auth
(`Authorization: Bearer`). Note: `chroma run` of chromadb 1.5.9 does not check tokens (its Rust
server only has a no-op authenticator; see deploy/README.md); a team deployment puts the check in
the reverse proxy in front of it.

An embedded store (`PersistentClient`) is one directory that several processes may open. Chroma
keeps each collection's vector index in memory, so a process does not see vectors another process
wrote until it opens the store again (`Store.sync` does that), and two processes writing at once
could lose each other's work: `write_lock` serialises writers with an exclusive `flock`.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from rag.core.config import Config
from rag.core.errors import RagError, StoreError

log = logging.getLogger(__name__)

GET_BATCH = 5000  # Chroma caps the size of one get/delete request
_FULL = ("database or disk is full", "no space left on device")


def _settings(config: Config) -> Any:
    from chromadb.config import Settings

    extra: dict[str, Any] = {}
    if config.chroma_url and config.chroma_token:
        extra = {
            "chroma_client_auth_provider": "chromadb.auth.token_authn.TokenAuthClientProvider",
            "chroma_client_auth_credentials": config.chroma_token,
        }
    return Settings(anonymized_telemetry=False, allow_reset=True, **extra)


def make_client(config: Config) -> Any:
    """A Chroma client: HttpClient for RAG_CHROMA_URL (checked, with a timeout), else an embedded
    PersistentClient."""
    import chromadb

    if config.chroma_url:
        probe(config)  # a clear message before chromadb's own, less helpful, errors
        url = urlparse(config.chroma_url)
        try:
            client = chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=_settings(config),
            )
            set_timeout(client, config.store_timeout)
        except Exception as exc:  # noqa: BLE001 - connection errors come in many types
            raise _unreachable(config, type(exc).__name__) from None
        return client
    try:
        return chromadb.PersistentClient(path=config.store, settings=_settings(config))
    except Exception as exc:  # noqa: BLE001
        if _disk_full(exc):
            raise translate(exc, config) from None
        raise StoreError(
            f"Cannot open the store at {config.store} ({exc}). "
            "Check the path and its permissions, or set RAG_STORE to another directory."
        ) from None


def set_timeout(client: Any, seconds: float) -> None:
    """Give the HTTP client's session a timeout (chromadb's FastAPI client has `_session`)."""
    import httpx

    server = getattr(client, "_server", None)
    session = getattr(server, "_session", None)
    if session is None:  # a future chromadb without it: say so rather than hang silently
        log.warning("cannot set a timeout on this chromadb client; a frozen server may hang")
        return
    session.timeout = httpx.Timeout(seconds)


def drop_shared_system(config: Config) -> None:
    """Forget chromadb's per-process System for this embedded path, so the next client opens the
    store afresh (with the vectors other processes wrote). Clients made before keep working."""
    from chromadb.api.shared_system_client import SharedSystemClient

    for key in list(SharedSystemClient._identifier_to_system):
        if key == config.store or Path(key) == Path(config.store):
            SharedSystemClient._identifier_to_system.pop(key, None)


def probe(config: Config) -> None:
    """Ask the server's heartbeat; raise a StoreError saying what is wrong, if anything is."""
    url = config.chroma_url.rstrip("/") + "/api/v2/heartbeat"
    headers = {"Authorization": f"Bearer {config.chroma_token}"} if config.chroma_token else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=config.store_timeout) as response:
            body = response.read(4096)
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403):
            raise _auth(config, f"HTTP {exc.code}") from None
        raise _not_chroma(config, f"HTTP {exc.code} for /api/v2/heartbeat") from None
    except TimeoutError:
        raise _timeout(config) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise _timeout(config) from None
        raise _unreachable(config, type(reason).__name__) from None
    try:
        beat = json.loads(body)
    except ValueError:
        raise _not_chroma(config, "the heartbeat is not JSON") from None
    if not isinstance(beat, dict) or "nanosecond heartbeat" not in beat:
        raise _not_chroma(config, "no Chroma heartbeat")


def translate(exc: BaseException, config: Config) -> BaseException:
    """A StoreError with the fix for an exception a Chroma call raised; an exception that is not
    about the store being unavailable (a RagError, a bug) is returned as it is."""
    if isinstance(exc, RagError):
        return exc
    if _disk_full(exc) or (not config.chroma_url and _nearly_full(config.store)):
        where = config.store if not config.chroma_url else config.chroma_url
        return StoreError(
            f"The disk is full ({where}): free some space, then try again.",
            code="disk_full",
            path=where,
        )
    if not config.chroma_url:
        return exc
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return _timeout(config)
    if isinstance(exc, httpx.TransportError):
        return _unreachable(config, type(exc).__name__)
    try:
        probe(config)
    except StoreError as found:
        return found
    return exc  # the server is fine: a genuine error of this call


@contextlib.contextmanager
def write_lock(config: Config) -> Iterator[None]:
    """Exclusive writing for an embedded store across processes (no-op for a server, which
    serialises writes itself). Waits up to RAG_STORE_TIMEOUT x 15 for another writer."""
    if config.chroma_url:
        yield
        return
    path = Path(config.store) / "write.lock"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a")
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise translate(exc, config) from None
        raise StoreError(
            f"Cannot create {path} ({exc.strerror}): make RAG_STORE writable."
        ) from None
    with handle:
        deadline = time.monotonic() + config.store_timeout * 15
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(
                        f"Another process is writing to the store at {config.store}: wait until "
                        "it is done, or serve the store with `chroma run` (RAG_CHROMA_URL) so "
                        "several processes can write safely.",
                        code="store_busy",
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _nearly_full(path: str, margin: int = 2 * 1024 * 1024) -> bool:
    """Less than `margin` bytes free where the store lives: Chroma then fails with messages such
    as "Error in compaction: Failed to apply logs to the metadata segment", not "disk full"."""
    try:
        return shutil.disk_usage(path).free < margin
    except OSError:
        return False


def _disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    return any(s in str(exc).lower() for s in _FULL)


def _unreachable(config: Config, reason: str) -> StoreError:
    return StoreError(
        f"Cannot reach the Chroma server at {config.chroma_url} ({reason}). Start it "
        "(chroma run --path DIR --host 127.0.0.1 --port 8000) or unset RAG_CHROMA_URL; the "
        "assistant carries on once it is back.",
        code="store_unreachable",
        url=config.chroma_url,
        reason=reason,
    )


def _timeout(config: Config) -> StoreError:
    return StoreError(
        f"The Chroma server at {config.chroma_url} did not answer within "
        f"{config.store_timeout:g} s (frozen or overloaded). Check the server; the assistant "
        "carries on once it answers.",
        code="store_timeout",
        url=config.chroma_url,
        seconds=f"{config.store_timeout:g}",
    )


def _not_chroma(config: Config, reason: str) -> StoreError:
    return StoreError(
        f"What answers at {config.chroma_url} is not a Chroma server ({reason}): check "
        "RAG_CHROMA_URL.",
        code="store_not_chroma",
        url=config.chroma_url,
        reason=reason,
    )


def _auth(config: Config, reason: str) -> StoreError:
    return StoreError(
        f"The Chroma server at {config.chroma_url} refused access ({reason}): set "
        "RAG_CHROMA_TOKEN to the server's token.",
        code="store_auth",
        url=config.chroma_url,
        reason=reason,
    )
