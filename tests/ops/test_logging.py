"""Served with DEBUG off, the logs are one JSON object per line, for a log collector."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EMIT = ("import django; django.setup(); import logging; "
        "logging.getLogger('kaohe.test').warning('sheet %s returned', '财统科 城关镇')")


def test_logs_are_json_lines_when_served():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "0",
           "DJANGO_SECRET_KEY": "k3y-" + "abcdefghij" * 6, "DATABASE_URL": ""}
    done = subprocess.run([sys.executable, "-c", EMIT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stderr.strip().splitlines()[-1])
    assert record["levelname"] == "WARNING" and record["name"] == "kaohe.test"
    assert record["message"] == "sheet 财统科 城关镇 returned"
    assert "time" in record
