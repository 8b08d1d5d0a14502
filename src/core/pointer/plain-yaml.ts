/**
 * A reader for the small part of YAML that pointers written by mvgit use: block maps and lists
 * indented by two spaces, and plain scalars (whole and decimal numbers, true, false, null,
 * simple words and paths, double-quoted text without escapes). The full YAML parser costs
 * about half a millisecond per pointer; `mvgit log` reads hundreds of them.
 *
 * Anything outside that part (comments, flow style, anchors, other quoting, text with spaces,
 * odd indentation, a repeated key) returns undefined, and the full parser decides, so a value
 * read here is always the value the full parser would give.
 */

type Value = unknown;

const KEY = /^([A-Za-z_][A-Za-z0-9_./-]*):(?: (.*))?$/;
const INT = /^-?(?:0|[1-9][0-9]*)$/;
const FLOAT = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/;
const WORD = /^[A-Za-z_/][A-Za-z0-9_./:@+-]*$/;
const QUOTED = /^"[^"\\\x00-\x1f\x7f]*"$/;
/** Words the YAML schemas read as something other than text: left to the full parser. */
const SPECIAL = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n', '~']);

class Unsupported extends Error {}

/** The value of a YAML text in the plain subset, or undefined when the full parser must decide. */
export function parsePlainYaml(text: string): Value | undefined {
  if (!text.endsWith('\n') || text.includes('\r') || text.includes('\t')) return undefined;
  const lines = text.slice(0, -1).split('\n');
  try {
    const r = new Reader(lines);
    const value = r.block(0);
    if (r.i !== lines.length) return undefined;
    return value;
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

function unsupported(): never {
  throw new Unsupported();
}

function scalar(s: string): Value {
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'null') return null;
  if (s === '{}') return {};
  if (s === '[]') return [];
  if (INT.test(s) || FLOAT.test(s)) {
    const n = Number(s);
    // -0, and numbers a double cannot hold exactly as written, are left to the full parser.
    if (!Number.isFinite(n) || (n === 0 && s.startsWith('-')) || (INT.test(s) && !Number.isSafeInteger(n)))
      return unsupported();
    return n;
  }
  if (QUOTED.test(s)) return s.slice(1, -1);
  if (WORD.test(s) && !s.endsWith(':') && !SPECIAL.has(s.toLowerCase())) return s;
  return unsupported();
}

class Reader {
  i = 0;
  constructor(private readonly lines: string[]) {}

  private indentOf(line: string): number {
    let n = 0;
    while (line.charCodeAt(n) === 32) n++;
    return n;
  }

  /** A map or a list whose lines start at exactly `indent` spaces. */
  block(indent: number): Value {
    const line = this.lines[this.i];
    if (line === undefined || this.indentOf(line) !== indent) return unsupported();
    return line.startsWith('- ', indent) ? this.list(indent) : this.map(indent, {});
  }

  /** Map entries at `indent`, added to `into`; the first may already have been read by a list item. */
  private map(indent: number, into: Record<string, Value>, first?: string): Record<string, Value> {
    let entry = first;
    for (;;) {
      if (entry === undefined) {
        const line = this.lines[this.i];
        if (line === undefined || this.indentOf(line) !== indent || line.startsWith('- ', indent)) break;
        entry = line.slice(indent);
        this.i++;
      }
      const m = KEY.exec(entry);
      if (!m) return unsupported();
      const key = m[1];
      if (key === '__proto__' || SPECIAL.has(key.toLowerCase()) || Object.hasOwn(into, key)) return unsupported();
      if (m[2] === undefined) {
        const next = this.lines[this.i];
        if (next === undefined || this.indentOf(next) !== indent + 2) return unsupported();
        into[key] = this.block(indent + 2);
      } else into[key] = scalar(m[2]);
      entry = undefined;
      const after = this.lines[this.i];
      if (after !== undefined && this.indentOf(after) > indent) return unsupported();
    }
    return into;
  }

  private list(indent: number): Value[] {
    const out: Value[] = [];
    for (;;) {
      const line = this.lines[this.i];
      if (line === undefined || this.indentOf(line) !== indent || !line.startsWith('- ', indent)) break;
      this.i++;
      const item = line.slice(indent + 2);
      // `- key: value` opens a map whose other keys sit under the first one.
      out.push(KEY.test(item) ? this.map(indent + 2, {}, item) : scalar(item));
      const after = this.lines[this.i];
      if (after !== undefined && this.indentOf(after) > indent) return unsupported();
    }
    return out;
  }
}
