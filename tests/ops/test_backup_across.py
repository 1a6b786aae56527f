"""A demo year backed up on SQLite and restored on the database server the suite runs on (MariaDB,
PostgreSQL, or another SQLite file): the same scores and the same scheme file, through the real commands in
fresh processes."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _server_admin(config: dict):
    """Create and drop a scratch database on the suite's own server."""
    if config["ENGINE"].endswith("mysql"):
        import MySQLdb

        connect = MySQLdb.connect(host=config["HOST"] or "127.0.0.1", port=int(config["PORT"] or 3306),
                                  user=config["USER"], password=config["PASSWORD"] or "")
        create = "CREATE DATABASE {} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        return connect, create, "DROP DATABASE IF EXISTS {}"
    import psycopg

    connect = psycopg.connect(host=config["HOST"] or "127.0.0.1", port=int(config["PORT"] or 5432),
                              user=config["USER"], password=config["PASSWORD"] or "", dbname="postgres",
                              autocommit=True)
    return connect, "CREATE DATABASE {}", "DROP DATABASE IF EXISTS {}"


@pytest.fixture
def target_url(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    config = dj_database_url.parse(url)
    name = f"kaohe_restore_{uuid.uuid4().hex[:8]}"
    connection, create, drop = _server_admin(config)
    cursor = connection.cursor()
    cursor.execute(create.format(name))
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        cursor.execute(drop.format(name))
        connection.close()


def test_a_demo_year_moves_from_sqlite_to_the_suites_database(tmp_path, target_url):
    base = {**os.environ, "DJANGO_DEBUG": "1", "REDIS_URL": "", "KAOHE_MEDIA_ROOT": str(tmp_path / "media")}
    source = {**base, "DATABASE_URL": f"sqlite:///{tmp_path / 'source.sqlite3'}"}
    manage(source, "migrate", "--noinput", "-v0")
    manage(source, "load_seed_scheme", "--year", "2026")
    manage(source, "load_demo", "--year", "2026")
    before = manage(source, "score", "--scheme", "town-2026", "--format", "json")
    archive = tmp_path / "year.zip"
    manage(source, "backup", str(archive))

    target = {**base, "DATABASE_URL": target_url, "KAOHE_MEDIA_ROOT": str(tmp_path / "restored-media")}
    manage(target, "restore", str(archive))
    assert manage(target, "score", "--scheme", "town-2026", "--format", "json") == before

    # The scheme file is the same bytes whichever database it is written from, and imports there too.
    exported = manage(source, "export_scheme", "town-2026", "-")
    assert manage(target, "export_scheme", "town-2026", "-") == exported
    shared = tmp_path / "shared.yaml"
    shared.write_text(exported.replace("code: town-2026\n", "code: town-shared\n", 1), encoding="utf-8")
    manage(target, "import_scheme", str(shared))
    assert manage(target, "export_scheme", "town-shared", "-") == shared.read_text(encoding="utf-8")
