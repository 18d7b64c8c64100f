"""Regenerate the parameter tables in docs/methodology.md from assumptions/parameters.csv.

python scripts/build_docs_tables.py          # rewrite the file
python scripts/build_docs_tables.py --check  # exit 1 if the file is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from econ.docs import render_docs
from econ.params import load_registry

DOC = Path(__file__).resolve().parents[1] / "docs" / "methodology.md"


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    new = render_docs(text, load_registry())
    if "--check" in argv:
        if new != text:
            print(f"{DOC} is out of date: run python scripts/build_docs_tables.py")
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
