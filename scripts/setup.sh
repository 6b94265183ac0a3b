#!/usr/bin/env bash
# Installs or starts what Sakura's commands need on a fresh Debian machine:
# Go modules, the locked npm packages, Debian's Chromium for the browser
# tests, and a PostgreSQL server that is installed but stopped.
#
#   scripts/setup.sh run    what `make run` needs
#   scripts/setup.sh test   what `make test` needs
set -euo pipefail
cd "$(dirname "$0")/.."

want=${1:-run}

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
		echo "setup: need root to run: $*" >&2
		return 1
	fi
}

apt_updated=
apt_install() {
	[ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Go modules, once.
go mod download

# Front-end packages, exactly as the lock file has them.
if ! command -v npm >/dev/null; then
	echo "setup: installing Node.js and npm from Debian's packages"
	apt_install nodejs npm
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules
fi

# The npm files the binary serves (Leaflet), copied into internal/web/static/vendor.
go generate ./internal/web

[ "$want" = test ] || exit 0

# Debian's Chromium for the browser tests; never a downloaded browser.
if ! command -v chromium >/dev/null; then
	echo "setup: installing Chromium from Debian's packages"
	apt_install chromium
fi

# PostgreSQL for the contract tests: start a local cluster that is
# installed but stopped.
if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
	if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
		echo "setup: starting PostgreSQL"
		for v in /etc/postgresql/*; do
			as_root pg_ctlcluster --skip-systemctl-redirect "$(basename "$v")" main start || true
		done
		for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
	fi
fi
