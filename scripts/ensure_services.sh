#!/usr/bin/env bash
# Makes sure MariaDB (127.0.0.1:3306, root without password), PostgreSQL (127.0.0.1:5432, user postgres,
# password postgres) and Redis (127.0.0.1:6379) answer, installing them from Debian's packages when the
# machine has none.
set -euo pipefail

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() { for _ in $(seq 1 60); do answers "$1" && return 0; sleep 1; done; echo "nothing answers on $1" >&2; return 1; }
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
updated=""
apt_install() {
  [ -n "$updated" ] || { $SUDO apt-get update -qq; updated=1; }
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

if ! answers 3306; then
  command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || apt_install mariadb-server
  $SUDO mkdir -p /run/mysqld && $SUDO chown mysql:mysql /run/mysqld 2>/dev/null || true
  $SUDO start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  wait_for 3306
fi
# A fresh Debian MariaDB only lets root in over the socket; allow the empty password over TCP too.
if ! mysql -h127.0.0.1 -uroot -e "SELECT 1" >/dev/null 2>&1; then
  $SUDO mysql -uroot -e "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; FLUSH PRIVILEGES;"
fi

if ! answers 6379; then
  command -v redis-server >/dev/null || apt_install redis-server
  $SUDO mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for 6379
fi
if ! answers 5432; then
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
  [ -n "$cluster" ] || { $SUDO pg_createcluster 15 main >/dev/null; cluster="15 main"; }
  $SUDO pg_ctlcluster $cluster start
  wait_for 5432
fi
# Debian's PostgreSQL asks for a password over TCP; give the postgres user the one the suite uses.
if ! PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
  $SUDO -u postgres psql -q -c "ALTER USER postgres PASSWORD 'postgres'" 2>/dev/null \
    || su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\""
fi
echo "MariaDB, PostgreSQL and Redis answer"
