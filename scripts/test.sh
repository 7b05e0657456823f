#!/usr/bin/env bash
# The one test command: typecheck, lint, Vitest (against the local tenant and the real OS keychain) and Playwright
# (through the browser host in Debian's Chromium). It sets up what a fresh Debian machine lacks, then runs it all
# inside a private D-Bus session with an unlocked gnome-keyring, so the user's own keychain is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v gnome-keyring-daemon >/dev/null 2>&1 || need+=(gnome-keyring)
command -v dbus-run-session >/dev/null 2>&1 || need+=(dbus)
# secret-tool writes keychain entries the way keytar (the keychain library of earlier versions) did, for the
# test of moving them over.
command -v secret-tool >/dev/null 2>&1 || need+=(libsecret-tools)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing ${need[*]} (Debian packages the tests need)..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "The tests need these Debian packages: ${need[*]}. Install them with: apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

# Install dependencies when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci
fi

if [ "${TENANT_DESK_IN_KEYRING_SESSION:-}" != 1 ]; then
  export TENANT_DESK_IN_KEYRING_SESSION=1
  exec dbus-run-session -- bash "$0" "$@"
fi

# Inside the private session: a throwaway keyring, unlocked with a throwaway password.
export XDG_DATA_HOME
XDG_DATA_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
eval "$(printf 'tenant-desk-test\n' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

npm run typecheck
npm run lint
npm run test:unit
npm run test:e2e
