#!/usr/bin/env bash
# Installs what kaohe needs on a fresh Debian 12 machine, as root (or with sudo), idempotently.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: the browser the end-to-end tests drive; fonts-wqy-zenhei: Chinese text in screenshots and PDFs
# (a TrueType face: WeasyPrint lays it out far faster than an OpenType CJK face); pango/harfbuzz: WeasyPrint;
# poppler-utils (pdftotext) and zbar-tools (zbarimg): the tests read printed PDFs and their QR codes back;
# npm (Debian's, only when no npm is on the PATH: a machine with NodeSource's nodejs already has one)
# installs the browser libraries the app serves (assets/package.json).
DEBIAN_PACKAGES=(python3-venv default-libmysqlclient-dev pkg-config build-essential gettext chromium
                 fonts-wqy-zenhei libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils zbar-tools)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev]'
.venv/bin/python manage.py compilemessages -v0 --ignore=.venv
# Browser libraries, pinned in assets/package-lock.json and served by the app itself (the machines are offline
# at run time, so no CDN): ECharts draws the report charts.
npm --prefix assets ci --no-audit --no-fund --silent
mkdir -p kaohe/static/vendor
cp assets/node_modules/echarts/dist/echarts.min.js kaohe/static/vendor/echarts.min.js
# The static files WhiteNoise serves (with compressed copies), as a deployment would have them.
DJANGO_DEBUG=1 .venv/bin/python manage.py collectstatic --noinput -v0
echo "setup done: .venv ready"
