import { and, parseExpr, TRUE, type Expr } from './expr';

/**
 * What one Kconfig file says about its symbols: for each `config`/`menuconfig` entry, the
 * condition under which it can be enabled (its `depends on` lines and those of the
 * enclosing `if`/`menu`/`choice` blocks of the same file), and the files it `source`s.
 * Help texts are skipped. A condition that does not parse counts as "maybe": it can never
 * rule an architecture out.
 */

export interface KconfigFile {
  /** Symbol -> the condition of each definition in this file. */
  symbols: ReadonlyMap<string, readonly Expr[]>;
  /** Sourced paths: `source`/`osource` relative to the tree root, `rsource`/`orsource` to this file. */
  sources: readonly { path: string; relative: boolean }[];
}

const MAYBE: Expr = { kind: 'const', value: 1 };

function cond(text: string): Expr {
  // `depends on FOO if BAR` does not exist; `visible if` and `default x if y` are not deps
  return parseExpr(text) ?? MAYBE;
}

interface Block {
  kind: 'if' | 'menu' | 'choice';
  deps: Expr[];
}

export function parseKconfig(text: string): KconfigFile {
  const symbols = new Map<string, Expr[]>();
  const sources: { path: string; relative: boolean }[] = [];
  const blocks: Block[] = [];
  /** The entry whose attributes the following lines are: a config, or a menu/choice header. */
  let entry: { name?: string; deps: Expr[]; block?: Block } | null = null;
  let helpIndent: number | null = null;
  let inHelp = false;

  const finish = () => {
    if (entry?.name) {
      const parts = [...blocks.flatMap((b) => b.deps), ...entry.deps];
      const all = parts.length > 0 ? and(parts) : TRUE;
      const defs = symbols.get(entry.name);
      if (defs) defs.push(all);
      else symbols.set(entry.name, [all]);
    }
    entry = null;
  };

  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const raw of lines) {
    if (inHelp) {
      if (raw.trim() === '') continue;
      const indent = /^[\t ]*/.exec(raw)?.[0].replace(/\t/g, '        ').length ?? 0;
      helpIndent ??= indent;
      if (indent >= helpIndent && indent > 0) continue;
      inHelp = false;
      helpIndent = null;
    }
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const [word] = line.split(/\s+/, 1);
    const rest = line.slice(word.length).trim();
    switch (word) {
      case 'config':
      case 'menuconfig':
        finish();
        entry = { name: rest, deps: [] };
        break;
      case 'if':
        finish();
        blocks.push({ kind: 'if', deps: [cond(rest)] });
        break;
      case 'menu':
      case 'choice': {
        finish();
        const block: Block = { kind: word, deps: [] };
        blocks.push(block);
        // the block's own `depends on` lines follow its header
        entry = { deps: block.deps, block };
        break;
      }
      case 'endif':
      case 'endmenu':
      case 'endchoice': {
        finish();
        const kind = word === 'endif' ? 'if' : word === 'endmenu' ? 'menu' : 'choice';
        const at = blocks.map((b) => b.kind).lastIndexOf(kind);
        if (at >= 0) blocks.length = at;
        break;
      }
      case 'source':
      case 'osource':
      case 'rsource':
      case 'orsource': {
        finish();
        const path = /^"([^"]+)"$/.exec(rest)?.[1] ?? rest;
        // `arch/$(SRCARCH)/Kconfig` and globs are not followed
        if (!/[$*?]/.test(path)) sources.push({ path, relative: word.startsWith('r') || word.startsWith('or') });
        break;
      }
      case 'comment':
      case 'mainmenu':
        finish();
        entry = { deps: [] };
        break;
      case 'help':
      case '---help---':
        inHelp = true;
        break;
      case 'depends':
        if (entry && /^on\s/.test(rest)) entry.deps.push(cond(rest.slice(2)));
        break;
      default:
        break;
    }
  }
  finish();
  return { symbols, sources };
}
