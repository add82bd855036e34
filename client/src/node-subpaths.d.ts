// See server/src/lsp/node-subpaths.d.ts: node10 module resolution ignores "exports".
declare module 'vscode-jsonrpc/node' {
  export * from 'vscode-jsonrpc/lib/node/main';
}
declare module 'vscode-languageclient/node' {
  export * from 'vscode-languageclient/lib/node/main';
}
