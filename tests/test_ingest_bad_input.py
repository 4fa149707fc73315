"""Bad input through the real CLI: one clear line per file, exit code 1, stored data untouched.

Each bad file must get exactly one status line that names it and says what to do; the good files
of the same run are still ingested, and what the store held before is all still there.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from tests.fixtures_build import (
    build_corrupt_pdf,
    build_encrypted_pdf,
    build_fake_pdf,
    build_garbled_pdf,
    build_scanned_pdf,
)
from tests.ingest_helpers import (
    SHORT_LETTERS,
    assert_consistent,
    cli_env,
    copy_letters,
    letter,
    open_store,
    run_ingest,
    status_of,
)


@pytest.fixture
def existing_store(tmp_path: Path) -> tuple[Path, set[str]]:
    """A store already holding one letter, and its chunk ids."""
    store = tmp_path / "store"
    (first,) = copy_letters(tmp_path / "old", SHORT_LETTERS[:1])
    proc = run_ingest(first, "--store", store)
    assert proc.returncode == 0, proc.stderr
    return store, {c.id for c in open_store(store).all_chunks()}


def _line(stdout: str, path: Path) -> str:
    lines = [ln for ln in stdout.splitlines() if str(path) in ln]
    assert len(lines) == 1, f"expected one line naming {path}:\n{stdout}"
    return lines[0]


def test_each_bad_file_gets_one_clear_line_and_the_rest_still_goes_in(
    tmp_path: Path, existing_store: tuple[Path, set[str]]
) -> None:
    store, before = existing_store
    bad = tmp_path / "in"
    bad.mkdir()
    empty = bad / "leeg.txt"
    empty.write_bytes(b"")
    cases = {
        # file -> words its line must contain (what is wrong, and what to do)
        empty: ("empty", "re-export or re-download"),
        build_corrupt_pdf(bad / "afgebroken.pdf"): ("truncated", "download or export it again"),
        build_garbled_pdf(bad / "kapot.pdf"): ("corrupt", "download or export it again"),
        build_encrypted_pdf(bad / "geheim.pdf"): ("password", "remove the password"),
        build_scanned_pdf(bad / "scan.pdf"): ("no text layer", "OCR"),
        build_fake_pdf(bad / "nep.pdf"): ("not a PDF", "export it as PDF again"),
    }
    (good,) = copy_letters(bad, SHORT_LETTERS[1:2])
    missing = tmp_path / "bestaat-niet.pdf"

    proc = run_ingest(bad, missing, "--store", store)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    for path, words in cases.items():
        line = _line(proc.stdout, path)
        assert line.startswith("! failed "), line
        for w in words:
            assert w in line, (w, line)
    line = _line(proc.stdout, missing)
    assert line.startswith("! failed ") and "check the path" in line
    assert status_of(proc.stdout, good) == "new"
    assert f"failed {len(cases) + 1}," in proc.stdout

    s = open_store(store)
    records = assert_consistent(s)
    assert sorted(r.file for r in records) == sorted(
        [str(tmp_path / "old" / letter(SHORT_LETTERS[0]).name), str(good)]
    )
    (new,) = [r for r in records if r.file == str(good)]
    after = {c.id for c in s.all_chunks()}
    assert before <= after and len(after) == len(before) + new.chunks


def test_only_bad_files_leave_an_existing_store_exactly_as_it_was(
    tmp_path: Path, existing_store: tuple[Path, set[str]]
) -> None:
    store, before = existing_store
    corrupt = build_corrupt_pdf(tmp_path / "afgebroken.pdf")
    proc = run_ingest(corrupt, "--store", store)
    assert proc.returncode == 1
    assert {c.id for c in open_store(store).all_chunks()} == before


def test_unknown_extension_is_skipped_and_exits_0(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (good,) = copy_letters(folder, SHORT_LETTERS[:1])
    sheet = folder / "begroting.xlsx"
    sheet.write_bytes(b"PK\x03\x04 niet echt een spreadsheet")
    proc = run_ingest(folder, "--store", tmp_path / "store")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    line = _line(proc.stdout, sheet)
    assert line.startswith("- skipped ") and "skipped; supported: " in line and ".pdf" in line
    assert status_of(proc.stdout, good) == "new"
    assert "skipped 1, " in proc.stdout


def test_file_over_the_size_limit(tmp_path: Path, existing_store: tuple[Path, set[str]]) -> None:
    store, before = existing_store
    folder = tmp_path / "in"
    folder.mkdir()
    big = folder / "groot.txt"  # 2.4 kB, over a 1 kB limit
    shutil.copy(letter("1992-04-10_kst-21501-17-17"), big)
    (small,) = copy_letters(folder, SHORT_LETTERS[1:2])  # 470 bytes, under the limit
    proc = run_ingest(folder, env=cli_env(store, RAG_MAX_FILE_MB="0.001"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    line = _line(proc.stdout, big)
    assert line.startswith("! failed ") and "0.001 MB limit" in line and "RAG_MAX_FILE_MB" in line
    assert status_of(proc.stdout, small) == "new"
    assert before <= {c.id for c in open_store(store).all_chunks()}


def test_unreadable_file(tmp_path: Path, existing_store: tuple[Path, set[str]]) -> None:
    """chmod 000 really refuses reading, also for root.

    The tests run as root, and root's CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH ignore file modes,
    so as root the CLI runs under `setpriv` with those two capabilities dropped from its bounding
    set: it is still uid 0 and owns every file, but open() of a mode-000 file now fails with
    EACCES, exactly as for a normal user.
    """
    store, before = existing_store
    folder = tmp_path / "in"
    (locked,) = copy_letters(folder, SHORT_LETTERS[2:3])
    (good,) = copy_letters(folder, SHORT_LETTERS[3:4])
    locked.chmod(0)
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        # util-linux (essential on Debian) has setpriv; chmod 000 alone cannot block root.
        assert setpriv is not None, (
            "setpriv (util-linux) is needed to make a file unreadable to root"
        )
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]
    try:
        proc = run_ingest(folder, "--store", store, prefix=prefix)
    finally:
        locked.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    line = _line(proc.stdout, locked)
    assert line.startswith("! failed ") and "Permission denied" in line
    assert "permissions" in line  # says what to do
    assert status_of(proc.stdout, good) == "new"
    assert before <= {c.id for c in open_store(store).all_chunks()}
    assert_consistent(open_store(store))


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "store")
    none = run_ingest(env=env)
    assert none.returncode == 2 and "give a file or folder" in none.stderr
    for args in (["--json"], ["--json", tmp_path]):
        proc = run_ingest(*args, env=env)
        assert proc.returncode == 2 and "--json goes with --list" in proc.stderr, proc.stderr
    assert not (tmp_path / "store").exists()  # a usage error touches nothing
