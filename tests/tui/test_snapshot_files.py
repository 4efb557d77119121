"""Every stored snapshot belongs to a test, also when the suite runs on several workers.

syrupy fails a whole run that leaves a snapshot unused (a test renamed or removed, its old
picture left behind), but not under pytest-xdist, which the suite uses: each worker sees only
some of the tests. This test makes the same check from a collection of the snapshot modules.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SNAPSHOTS = Path(__file__).parent / "__snapshots__"


def collected_tests(modules: list[Path]) -> set[str]:
    """``module/test name`` (as syrupy names snapshot files) of every test in ``modules``."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            *map(str, modules),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parents[2],
        # A run of its own: not one of this run's xdist workers, no options passed down.
        env={
            **{key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")},
            "PYTEST_ADDOPTS": "",
        },
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    names = set()
    for line in done.stdout.splitlines():
        path, sep, test = line.partition("::")
        if sep:
            names.add(f"{Path(path).stem}/{test.replace('::', '.')}")
    return names


def test_every_stored_snapshot_has_its_test() -> None:
    stored = sorted(SNAPSHOTS.glob("*/*.svg"))
    assert stored, f"no snapshots found under {SNAPSHOTS}"
    modules = sorted({SNAPSHOTS.parent / f"{svg.parent.name}.py" for svg in stored})
    missing = [str(module) for module in modules if not module.is_file()]
    assert missing == [], "snapshot folders without their test module"
    tests = collected_tests(modules)
    unused = [
        f"{svg.parent.name}/{svg.stem}"
        for svg in stored
        if f"{svg.parent.name}/{svg.stem}" not in tests
    ]
    assert unused == [], "snapshots no test takes (delete them, or run --snapshot-update -n 0)"
