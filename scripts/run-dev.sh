#!/usr/bin/env bash
# Start the site (runserver) and a Celery worker with embedded beat; Ctrl-C stops both.
# Used by `make run`. Background jobs in a script ignore SIGINT, so the trap stops them itself.
set -u
port="${1:-8000}"
py=.venv/bin/python

.venv/bin/celery -A larvik_nmu worker --beat --loglevel=INFO --concurrency=2 &
worker=$!
"$py" manage.py runserver "127.0.0.1:${port}" &
web=$!

stop() {
  trap - INT TERM EXIT
  echo "Stopping site and worker…"
  kill -TERM "$web" "$worker" 2>/dev/null
  pkill -TERM -P "$web" 2>/dev/null  # runserver's autoreloader child
  wait "$web" "$worker" 2>/dev/null
  exit 0
}
trap stop INT TERM EXIT
# If either one dies, stop the other too.
wait -n "$web" "$worker"
stop
