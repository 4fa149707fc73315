"""One way to choose a backend by a config value: a registry of named forms.

`RAG_EMBEDDER=e5-small`, `RAG_EMBEDDER=st:<name or path>`, `RAG_LLM=gguf:<path>`: a backend is an
exact name or a `prefix:` followed by an argument. Each backend module registers its forms with a
factory; `load` finds the one that fits, and an unknown value gets one line that lists the valid
forms (simonw/llm's plugin registry is the model, without the plugin machinery).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from rag.core.errors import ConfigError

T = TypeVar("T")


@dataclass(frozen=True)
class Form:
    name: str  # "e5-small" (exact) or "st:" (prefix)
    shown: str  # as listed in errors: "st:<name or path>"
    factory: Callable[..., Any]  # exact: factory(**kw); prefix: factory(argument, **kw)

    @property
    def is_prefix(self) -> bool:
        return self.name.endswith(":")


class Registry(Generic[T]):
    """Backends of one kind, by config value.

    >>> r = Registry[str]("RAG_THING", "thing")
    >>> r.register("plain", "plain", lambda: "P").register("x:", "x:<arg>", lambda a: a.upper())
    Registry(RAG_THING: plain, x:<arg>)
    >>> r.load("x:abc"), r.load("plain")
    ('ABC', 'P')
    >>> r.load("nope")
    Traceback (most recent call last):
    ...
    rag.core.errors.ConfigError: RAG_THING='nope' is not a known thing: use plain, x:<arg>.
    """

    def __init__(self, variable: str, kind: str, hint: str = "") -> None:
        self.variable = variable
        self.kind = kind
        self.hint = hint  # appended to the unknown-value error, e.g. ", or leave it empty"
        self._forms: list[Form] = []

    def register(self, name: str, shown: str, factory: Callable[..., T]) -> Registry[T]:
        self._forms.append(Form(name, shown, factory))
        return self

    @property
    def valid(self) -> str:
        """The valid forms, as one comma-separated list."""
        return ", ".join(f.shown for f in self._forms)

    def load(self, spec: str, **kwargs: Any) -> T:
        spec = spec.strip()
        for form in self._forms:
            if form.is_prefix and spec.startswith(form.name) and len(spec) > len(form.name):
                return form.factory(spec[len(form.name) :], **kwargs)  # type: ignore[no-any-return]
            if not form.is_prefix and spec == form.name:
                return form.factory(**kwargs)  # type: ignore[no-any-return]
        raise ConfigError(
            f"{self.variable}={spec!r} is not a known {self.kind}: use {self.valid}{self.hint}."
        )

    def __repr__(self) -> str:
        return f"Registry({self.variable}: {self.valid})"
