#!/usr/bin/env node
'use strict';
const { main } = require('../out/client/src/lsp-check/main.js');
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`lsp-check: internal error: ${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 2;
  },
);
