/**
 * Parsing only what can matter. Most of a driver file is functions that never touch the
 * DMA API; parsing them costs as much as parsing the rest (ARCHITECTURE.md, "Performance
 * budget"). This length-preserving pass blanks the bodies of such functions in the masked
 * text (keeping their braces and line breaks), so tree-sitter sees an empty function
 * there and offsets everywhere stay the same. File-scope declarations (structs, globals,
 * macros) are kept whole.
 */

const NL = 10;
const CR = 13;

/** A body is kept when it can produce events: it names the DMA API, a vmalloc-family allocator, or `keep` says so. */
export type BodyTest = (body: string) => boolean;

interface Body {
  /** Index of `{` and of the matching `}`. */
  open: number;
  close: number;
  /** The identifier before the parameter list: the function's name. */
  name: string;
}

/** Top-level `) {` ... `}` spans: function bodies (struct and initializer braces follow no `)`). */
export function functionBodies(text: string): Body[] {
  const out: Body[] = [];
  const n = text.length;
  let depth = 0;
  let open = -1;
  let name = '';
  let lastSignificant = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf('\n', i + 2);
      i = end < 0 ? n : end - 1;
      continue;
    }
    if (c === 34 /* " */ || c === 39 /* ' */) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== c) {
        if (text.charCodeAt(j) === 92 /* \ */) j++;
        else if (text.charCodeAt(j) === NL) break;
        j++;
      }
      i = j;
      lastSignificant = i;
      continue;
    }
    if (c === 123 /* { */) {
      if (depth === 0 && lastSignificant >= 0 && text.charCodeAt(lastSignificant) === 41 /* ) */) {
        open = i;
        name = nameBefore(text, lastSignificant);
      }
      depth++;
    } else if (c === 125 /* } */) {
      depth = Math.max(0, depth - 1);
      if (depth === 0 && open >= 0) {
        out.push({ open, close: i, name });
        open = -1;
      }
    }
    if (c !== 32 && c !== 9 && c !== NL && c !== CR) lastSignificant = i;
  }
  return out;
}

/** `static int foo_probe(struct pci_dev *pdev)` -> `foo_probe`, reading back from its `)`. */
function nameBefore(text: string, closeParen: number): string {
  let depth = 0;
  let i = closeParen;
  for (; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 41) depth++;
    else if (c === 40 && --depth === 0) break;
  }
  return identifierBefore(text, Math.max(0, i)) ?? '';
}

/** The identifier that ends (blanks aside) right before `index`: a call's or a definition's name before its `(`. */
export function identifierBefore(text: string, index: number): string | null {
  return /([A-Za-z_]\w*)\s*$/.exec(text.slice(Math.max(0, index - 200), index))?.[1] ?? null;
}

/**
 * Blanks the bodies no test keeps. Bodies that call a kept function by name are kept too
 * (a function that only calls the driver's own DMA wrapper).
 */
export function blankIrrelevantBodies(masked: string, relevant: BodyTest): string {
  const bodies = functionBodies(masked);
  if (bodies.length === 0) return masked;
  const keep = bodies.map((b) => relevant(masked.slice(b.open, b.close)));
  const keptNames = bodies.filter((b, i) => keep[i] && b.name).map((b) => b.name);
  if (keptNames.length > 0) {
    const call = new RegExp(`\\b(${keptNames.map((x) => x.replace(/[^\w]/g, '')).join('|')})\\s*\\(`);
    bodies.forEach((b, i) => {
      if (!keep[i] && call.test(masked.slice(b.open, b.close))) keep[i] = true;
    });
  }
  if (keep.every(Boolean)) return masked;
  const parts: string[] = [];
  let last = 0;
  bodies.forEach((b, i) => {
    if (keep[i]) return;
    parts.push(masked.slice(last, b.open + 1));
    parts.push(masked.slice(b.open + 1, b.close).replace(/[^\n\r]/g, ' '));
    last = b.close;
  });
  parts.push(masked.slice(last));
  return parts.join('');
}
