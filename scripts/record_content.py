"""Check every content file against its schema and record that it passed.

``data/schemas/validated.json`` keeps a fingerprint of each ``data/<name>.yaml``
together with its schema. A content file that matches its fingerprint loads without a
second schema check, so a learner's kernel never imports jsonschema for the content
that ships with the workbook (about 1.5 s where JupyterLab's format checkers are
installed). Run this after editing anything in ``data/`` or ``data/schemas/``;
``tests/test_content.py`` fails while the record is stale, and the pre-commit hook runs
it with ``--check``.

Usage::

    python scripts/record_content.py            # check data/ and write the record
    python scripts/record_content.py --check    # exit 1 if the record is stale
    python scripts/record_content.py FOLDER     # a course author's own content folder
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from partnership_lib.core import content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "folder", nargs="?", type=Path, help="content folder (default: the workbook's data/)"
    )
    parser.add_argument(
        "--check", action="store_true", help="only say whether the record is current"
    )
    args = parser.parse_args(argv)
    folder = args.folder or content.data_dir()
    try:
        if not args.check:
            path = content.write_record(folder)
            print(f"every content file passes its schema: recorded in {path}")
            return 0
        digests = content.check_all(folder)
    except content.ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    record_path = folder / "schemas" / content.RECORD_NAME
    try:
        recorded = json.loads(record_path.read_text(encoding="utf-8"))["digests"]
    except (OSError, ValueError, KeyError):
        recorded = {}
    stale = sorted(n for n in digests.keys() | recorded.keys() if digests.get(n) != recorded.get(n))
    if stale:
        print(
            f"{record_path} is stale for: {', '.join(stale)}; run python scripts/record_content.py",
            file=sys.stderr,
        )
        return 1
    print(f"{len(digests)} content files pass their schemas and match {record_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
