#!/bin/sh
# Installs the editors of the terminal tier of the real-editor end-to-end tests
# (test/e2e/clients.test.ts): Neovim, Emacs + eglot, Vim + ALE, from Debian's apt.
# Idempotent: installs only what is missing, and runs `apt-get update` only then.
# Needs root (or sudo). Debian 12 versions: neovim 0.7.2, emacs 28.2 + elpa-eglot 1.9,
# vim 9.0 + vim-ale 3.3.
set -eu

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

SUDO=
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-e2e-editors: needs root or sudo" >&2; exit 1; }
  SUDO=sudo
fi

missing_rec=                    # installed with their recommends, as tested
for p in neovim; do installed "$p" || missing_rec="$missing_rec $p"; done
missing_norec=                  # --no-install-recommends: no X, no extra Emacs/Vim addons
for p in emacs-nox elpa-eglot vim-nox vim-ale; do installed "$p" || missing_norec="$missing_norec $p"; done

if [ -z "$missing_rec$missing_norec" ]; then
  echo "install-e2e-editors: neovim emacs-nox elpa-eglot vim-nox vim-ale already installed"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
[ -z "$missing_rec" ] || $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y $missing_rec
[ -z "$missing_norec" ] || $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing_norec
echo "install-e2e-editors: installed$missing_rec$missing_norec"
