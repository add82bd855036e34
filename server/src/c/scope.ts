import type { StructOrigin } from './headers';
import type { SyntaxNode } from './syntax';

/**
 * What the analysis needs to know about declared names: whether a buffer lives on the
 * stack, in static storage or behind a pointer, and which struct type a handle's home
 * belongs to (the key of the cross-function summary).
 */
export interface VarDecl {
  name: string;
  /** Base type text without declarator parts, e.g. `struct foo_priv`, `dma_addr_t`, `u8`. */
  baseType: string;
  pointer: boolean;
  array: boolean;
  isStatic: boolean;
  isConst: boolean;
  /** Declared at file scope. */
  global: boolean;
  /** Declared as a function parameter. */
  param: boolean;
  init: SyntaxNode | null;
  node: SyntaxNode;
}

export interface FieldDecl {
  name: string;
  baseType: string;
  pointer: boolean;
  array: boolean;
  node: SyntaxNode;
}

export interface StructDecl {
  name: string;
  fields: Map<string, FieldDecl>;
  node: SyntaxNode;
  /** Set when the struct is defined in an included header, not in the analysed file. */
  origin?: StructOrigin;
}

interface DeclaratorShape {
  name: string;
  pointer: boolean;
  array: boolean;
  init: SyntaxNode | null;
}

/** Walks a declarator down to its identifier, noting pointers and arrays on the way. */
export function declaratorShape(node: SyntaxNode): DeclaratorShape | null {
  let pointer = false;
  let array = false;
  let init: SyntaxNode | null = null;
  let n: SyntaxNode | null = node;
  while (n) {
    switch (n.type) {
      case 'identifier':
      case 'field_identifier':
        return { name: n.text, pointer, array, init };
      case 'init_declarator':
        init = n.childForFieldName('value');
        n = n.childForFieldName('declarator');
        break;
      case 'pointer_declarator':
        pointer = true;
        n = n.childForFieldName('declarator');
        break;
      case 'array_declarator':
        array = true;
        n = n.childForFieldName('declarator');
        break;
      case 'parenthesized_declarator':
      case 'attributed_declarator':
        n = n.namedChildren[0] ?? null;
        break;
      case 'function_declarator':
        // a function pointer variable: a pointer for our purposes
        pointer = true;
        n = n.childForFieldName('declarator');
        break;
      default:
        return null;
    }
  }
  return null;
}

function baseTypeText(decl: SyntaxNode): string {
  const t = decl.childForFieldName('type');
  return t ? t.text.replace(/\s+/g, ' ') : '';
}

function hasChild(decl: SyntaxNode, type: string, text?: string): boolean {
  for (const c of decl.children) {
    if (c.type === type && (text === undefined || c.text === text)) return true;
  }
  return false;
}

/** Declarations of one `declaration` / `parameter_declaration` node. */
export function varsOfDeclaration(decl: SyntaxNode, global: boolean, param: boolean): VarDecl[] {
  const out: VarDecl[] = [];
  const baseType = baseTypeText(decl);
  const isStatic = hasChild(decl, 'storage_class_specifier', 'static');
  const isConst = hasChild(decl, 'type_qualifier', 'const');
  for (const d of decl.childrenForFieldName('declarator')) {
    const shape = declaratorShape(d);
    if (!shape) continue;
    out.push({ ...shape, baseType, isStatic, isConst, global, param, node: decl });
  }
  return out;
}

/** The name a type refers to for summary keys: `struct foo_priv` -> `foo_priv`. */
export function typeName(baseType: string): string {
  const m = /(?:struct|union)\s+(\w+)/.exec(baseType);
  if (m) return m[1];
  const words = baseType.split(/\s+/).filter((w) => !/^(const|volatile|static|register|extern|inline)$/.test(w));
  return words[words.length - 1] ?? baseType;
}

/** File-scope declarations: globals, struct layouts and object-like macros. */
export class FileScope {
  readonly globals = new Map<string, VarDecl>();
  readonly structs = new Map<string, StructDecl>();
  /** `#define NAME value` (object-like), value text trimmed. */
  readonly macros = new Map<string, string>();

  constructor(
    root: SyntaxNode,
    /** Structs defined in headers the file includes (see headers.ts), asked only when the file has none. */
    private readonly external?: (name: string) => StructDecl | undefined,
    /** Object-like macros of the headers the file includes, asked only when the file has none. */
    private readonly externalMacro?: (name: string) => string | undefined,
  ) {
    this.collect(root, 0);
  }

  /** A macro's value: the file's own `#define`, else one from an included header. */
  macro(name: string): string | undefined {
    return this.macros.get(name) ?? this.externalMacro?.(name);
  }

  /** A struct's layout: the file's own definition, else one from an included header. */
  struct(name: string): StructDecl | undefined {
    return this.structs.get(name) ?? this.external?.(name);
  }

  private collect(node: SyntaxNode, depth: number): void {
    if (depth > 200) return;
    for (const c of node.namedChildren) {
      if (c.type === 'function_definition') {
        continue;
      }
      if (c.type === 'declaration') {
        for (const v of varsOfDeclaration(c, true, false)) this.globals.set(v.name, v);
      }
      if (c.type === 'preproc_def') {
        const name = c.childForFieldName('name')?.text;
        const value = c.childForFieldName('value')?.text.trim();
        if (name && value) this.macros.set(name, value);
      }
      if (c.type === 'declaration' || c.type === 'type_definition' || c.type === 'struct_specifier') {
        this.collectStructs(c, depth + 1);
      }
      if (c.type.startsWith('preproc_') || c.type === 'ERROR' || c.type === 'linkage_specification' || c.type === 'declaration_list') {
        this.collect(c, depth + 1);
      }
    }
  }

  private collectStructs(node: SyntaxNode, depth: number): void {
    if (depth > 100) return;
    if ((node.type === 'struct_specifier' || node.type === 'union_specifier') && node.childForFieldName('body')) {
      const name = node.childForFieldName('name')?.text;
      const body = node.childForFieldName('body');
      if (name && body) {
        const fields = new Map<string, FieldDecl>();
        for (const f of body.namedChildren) {
          if (f.type !== 'field_declaration') continue;
          const baseType = baseTypeText(f);
          for (const d of f.childrenForFieldName('declarator')) {
            const shape = declaratorShape(d);
            if (shape) fields.set(shape.name, { name: shape.name, baseType, pointer: shape.pointer, array: shape.array, node: f });
          }
        }
        this.structs.set(name, { name, fields, node });
      }
    }
    for (const c of node.namedChildren) this.collectStructs(c, depth + 1);
  }
}

/** Parameters and locals of one function, with the file scope behind them. */
export class FunctionScope {
  readonly vars = new Map<string, VarDecl>();

  constructor(
    readonly file: FileScope,
    fnNode: SyntaxNode,
  ) {
    const declarator = fnNode.childForFieldName('declarator');
    const fdecl = declarator ? findFunctionDeclarator(declarator) : null;
    const params = fdecl?.childForFieldName('parameters');
    for (const p of params?.namedChildren ?? []) {
      if (p.type !== 'parameter_declaration') continue;
      for (const v of varsOfDeclaration(p, false, true)) this.vars.set(v.name, v);
    }
    const body = fnNode.childForFieldName('body');
    this.body = body ?? fnNode;
    if (body) this.collectLocals(body);
  }

  private readonly body: SyntaxNode;

  private collectLocals(body: SyntaxNode): void {
    // descendantsOfType runs in native code: far cheaper than walking children from JS
    for (const c of body.descendantsOfType('declaration')) {
      for (const v of varsOfDeclaration(c, false, false)) {
        if (!this.vars.has(v.name) || !this.vars.get(v.name)?.param) this.vars.set(v.name, v);
      }
    }
  }

  private assigned: Set<string> | null = null;

  /**
   * The value of a local initialised once and never assigned again, or of a file macro:
   * `enum dma_data_direction dir = DMA_TO_DEVICE;`, `#define FOO_LEN 1024`.
   */
  constantValue(name: string): string | undefined {
    const v = this.vars.get(name);
    if (v) {
      if (v.param || v.global || !v.init) return undefined;
      if (!this.assigned) this.assigned = assignedNames(this.body);
      return this.assigned.has(name) ? undefined : v.init.text.trim();
    }
    return this.file.macros.get(name);
  }

  private targets: Map<string, string | null> | null = null;

  /**
   * Where a local pointer points, when every assignment of it in the body (its
   * initialiser included) takes the address of, or copies, the same location
   * (`&priv->tx_buff[i]` -> `&priv->tx_buff[]`). Null when it varies or is unknown.
   */
  pointerTarget(name: string): string | null {
    if (!this.targets) {
      this.targets = new Map();
      const note = (n: string, value: SyntaxNode | null) => {
        const loc = value ? pointerLoc(value) : null;
        const prev = this.targets?.get(n);
        this.targets?.set(n, prev === undefined ? loc : prev === loc ? prev : null);
      };
      for (const v of this.vars.values()) if (v.pointer && !v.param && v.init) note(v.name, v.init);
      for (const a of this.body.descendantsOfType('assignment_expression')) {
        const left = a.childForFieldName('left');
        if (left?.type === 'identifier' && this.vars.get(left.text)?.pointer) note(left.text, a.childForFieldName('right'));
      }
    }
    return this.targets.get(name) ?? null;
  }

  /** Assigned anywhere in the body after its declaration (`x = ...`, `x++`, `&x` passed on). */
  isAssigned(name: string): boolean {
    if (!this.assigned) this.assigned = assignedNames(this.body);
    return this.assigned.has(name);
  }

  lookup(name: string): VarDecl | undefined {
    return this.vars.get(name) ?? this.file.globals.get(name);
  }

  /** A local variable that lives in this function's stack frame (not static, not a parameter). */
  isStackObject(name: string): boolean {
    const v = this.vars.get(name);
    return !!v && !v.param && !v.isStatic && !v.global;
  }
}

export function findFunctionDeclarator(node: SyntaxNode): SyntaxNode | null {
  let n: SyntaxNode | null = node;
  for (let i = 0; n && i < 20; i++) {
    if (n.type === 'function_declarator') return n;
    n = n.childForFieldName('declarator') ?? n.namedChildren[0] ?? null;
  }
  return null;
}

/** Names assigned (`x = ...`, `x += ...`, `x++`, `&x`) anywhere in a subtree. */
function assignedNames(root: SyntaxNode): Set<string> {
  const out = new Set<string>();
  for (const n of root.descendantsOfType(['assignment_expression', 'update_expression', 'pointer_expression'])) {
    if (n.type === 'assignment_expression') {
      const left = n.childForFieldName('left');
      if (left?.type === 'identifier') out.add(left.text);
    } else if (n.type === 'update_expression') {
      const arg = n.childForFieldName('argument');
      if (arg?.type === 'identifier') out.add(arg.text);
    } else if (n.child(0)?.text === '&') {
      const arg = n.childForFieldName('argument');
      if (arg?.type === 'identifier') out.add(arg.text);
    }
  }
  return out;
}

/** `&a->b[i]` -> `&a->b[]`, `a->b` -> `a->b`; anything else (calls, arithmetic) -> null. */
function pointerLoc(value: SyntaxNode): string | null {
  let v = value;
  while (v.type === 'parenthesized_expression' || v.type === 'cast_expression') {
    const inner: SyntaxNode | null = v.type === 'cast_expression' ? v.childForFieldName('value') : v.namedChildren[v.namedChildCount - 1] ?? null;
    if (!inner) return null;
    v = inner;
  }
  const text = v.text.replace(/\s+/g, '');
  if (!/^&?[A-Za-z_][\w]*((->|\.)[A-Za-z_]\w*|\[[^\]]*\])*$/.test(text)) return null;
  return text.replace(/\[(?!\d+\])[^\]]*\]/g, '[]');
}
