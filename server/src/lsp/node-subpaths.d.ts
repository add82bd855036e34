// tsconfig uses moduleResolution "node" (node10), which ignores package.json "exports", so
// the `/node` entry points of the LSP libraries have no types under their public names.
// Re-export the real declarations; at run time Node resolves the subpath through "exports".
declare module 'vscode-languageserver/node' {
  export * from 'vscode-languageserver/lib/node/main';
}
