"""Every environment variable the code reads is listed in the README's settings table, with its default."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READS = re.compile(r"""(?:os\.environ\.get|os\.environ\[|os\.getenv|_flag)\(?\s*["']([A-Z][A-Z0-9_]+)["']""")


def variables_read() -> set[str]:
    found = set()
    for folder in ("config", "kaohe"):
        for path in (ROOT / folder).rglob("*.py"):
            found.update(READS.findall(path.read_text(encoding="utf-8")))
    return found - {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def test_every_variable_the_code_reads_is_in_the_readme_table():
    table = {m for m in re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", (ROOT / "README.md").read_text(encoding="utf-8"),
                                   flags=re.M)}
    read = variables_read()
    assert len(read) >= 15
    assert sorted(read - table) == []
    assert sorted(table - read) == []
