# The three commands of the README. Everything else is in scripts/.
PY := .venv/bin/python
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: setup test run lint bench worker messages

setup:            ## Debian packages, .venv, pinned Python packages, translations
	bash scripts/setup.sh

test: lint        ## the whole suite on $$DATABASE_URL (default SQLite)
	$(PY) -m pytest

lint:
	$(PY) -m ruff check .

run:              ## SQLite, the town scheme and a demo year, on http://127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed_scheme --year 2026
	$(PY) manage.py load_demo --year 2026
	$(PY) manage.py runserver 127.0.0.1:8000

worker:           ## the job worker (robot messages, recomputes, large imports, batch PDFs); needs REDIS_URL
	$(PY) manage.py rqworker default print

bench:           ## every benchmark and one table (SQLite, and $$DATABASE_URL too when set)
	$(PY) bench/all.py
	$(PY) bench/print.py

messages:         ## after changing user-visible text: refresh the catalogue (translate what is new), compile it
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=tests --ignore=bench \
		--ignore=scripts --ignore=fixtures --ignore=docs
	$(PY) manage.py compilemessages -v0 --ignore=.venv
