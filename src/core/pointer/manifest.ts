import { MvgitError } from '../../base/errors.js';
import { sha256Hex } from '../../base/hash.js';
import { isPointerPath, unsafePathReason } from './pointer.js';

/** One file of a directory artifact. `oid` is 64 hex digits (the object's name in the store). */
export interface ManifestEntry {
  path: string;
  oid: string;
  size: number;
  /** Executable bit, kept so scripts shipped with a dataset stay runnable. */
  x?: boolean;
}

const HEX_RE = /^[0-9a-f]{64}$/;

/**
 * A line exactly as serializeManifest writes it when the path needs no JSON escape: its fields
 * are read by one regex instead of JSON.parse (a 20,000-file switch reads two manifests). Any
 * other line, canonical or not, goes through JSON.parse; both are validated alike afterwards.
 */
const CANONICAL_LINE =
  /^\{"path":"([^"\\\u0000-\u001f]*)","oid":"([0-9a-f]{64})","size":(0|[1-9][0-9]{0,15})(,"x":true)?\}$/;

/** The fields of one manifest line, before they are checked. */
interface RawEntry {
  path: unknown;
  oid: unknown;
  size: unknown;
  x?: unknown;
}

/** A line's fields: by the canonical regex, else by JSON.parse; a string says why it is bad. */
function lineFields(line: string): RawEntry | string {
  const m = CANONICAL_LINE.exec(line);
  if (m) return { path: m[1], oid: m[2], size: Number(m[3]), x: m[4] !== undefined };
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'expected an object';
  return raw as RawEntry;
}

/** Why a line's fields are not a valid entry, or undefined. */
function entryProblem(r: RawEntry): string | undefined {
  const problem = unsafePathReason(r.path);
  if (problem) return `path ${problem}: ${JSON.stringify(r.path)}`;
  // A pointer inside a folder artifact would be a nested artifact git could never see.
  if (isPointerPath(r.path as string)) return `path must not name a pointer file: ${JSON.stringify(r.path)}`;
  if (typeof r.oid !== 'string' || !HEX_RE.test(r.oid)) return 'oid must be 64 lowercase hex digits';
  if (!Number.isSafeInteger(r.size) || (r.size as number) < 0) return 'size must be a whole number';
  return undefined;
}

function byPath(a: ManifestEntry, b: ManifestEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * Canonical manifest bytes: JSON lines sorted by path, fixed key order, so the same folder
 * always gives the same oid.
 */
export function serializeManifest(entries: ManifestEntry[]): Buffer {
  return Buffer.concat([...manifestPieces(entries)]);
}

const PIECE = 1 << 20;

/**
 * serializeManifest's bytes in pieces of about 1 MB, for a writer that hashes and stores them
 * as they come: a million-file manifest is never one string and one buffer of ~110 MB each.
 */
export function* manifestPieces(entries: ManifestEntry[]): Generator<Buffer> {
  const sorted = [...entries].sort(byPath);
  let text = '';
  for (const e of sorted) {
    text += manifestLine(e);
    if (text.length >= PIECE) {
      yield Buffer.from(text, 'utf8');
      text = '';
    }
  }
  if (text !== '') yield Buffer.from(text, 'utf8');
}

/** One entry's canonical line, newline included. */
export function manifestLine(e: ManifestEntry): string {
  return `${manifestLinePrefix(e.path)}${e.oid}","size":${e.size}${e.x ? ',"x":true' : ''}}\n`;
}

/** How the canonical line of `path` begins, up to its oid: what finds it in the manifest's bytes. */
export function manifestLinePrefix(path: string): string {
  return `{"path":${JSON.stringify(path)},"oid":"`;
}

/** The manifest's oid and bytes. */
export function buildManifest(entries: ManifestEntry[]): { hex: string; bytes: Buffer } {
  const bytes = serializeManifest(entries);
  return { hex: sha256Hex(bytes), bytes };
}

/** Where a manifest's bytes come from: whole, or read in pieces (a store object, see manifestChanges). */
export type ManifestSource = Buffer | string | (() => Iterable<Buffer>);

/**
 * A manifest's lines, numbered from 0, each decoded on its own: nothing holds the whole text,
 * and no line's string pins a larger one (a string cut from a big one keeps all of it alive).
 */
function* manifestLines(source: ManifestSource): Generator<[number, string]> {
  const pieces = typeof source === 'function' ? source() : [typeof source === 'string' ? Buffer.from(source) : source];
  let n = 0;
  let carry: Buffer | null = null;
  for (const read of pieces) {
    const piece: Buffer = carry ? Buffer.concat([carry, read]) : read;
    carry = null;
    let pos = 0;
    for (let nl = piece.indexOf(10); nl >= 0; nl = piece.indexOf(10, pos)) {
      yield [n++, piece.toString('utf8', pos, nl)];
      pos = nl + 1;
    }
    // A piece may end mid-line (never mid-character: a newline byte is never part of one).
    if (pos < piece.length) carry = Buffer.from(piece.subarray(pos));
  }
  if (carry) yield [n, carry.toString('utf8')];
}

/** A canonical manifest's paths came in order; this one's did not: read it again keeping every path. */
class Unsorted extends Error {}

/**
 * Checks a manifest's paths as they are read: none twice, none both a file and a folder. A
 * canonical manifest is sorted, so this needs only the chain of earlier paths that are
 * prefixes of the current one (every path between a file `a` and an `a/b` starts with `a`);
 * without `sorted`, every path is kept in a set, as any order must be accepted.
 */
class PathCheck {
  private readonly all: Set<string> | null;
  private readonly chain: string[] = [];
  private prev: string | null = null;

  constructor(
    sorted: boolean,
    private readonly name: string,
  ) {
    this.all = sorted ? null : new Set();
  }

  /** Why `p` cannot join the paths before it, or undefined; throws Unsorted when out of order. */
  add(p: string): string | undefined {
    if (this.all) {
      if (this.all.has(p)) return `path ${p} appears twice`;
      this.all.add(p);
      return undefined;
    }
    if (this.prev !== null && p <= this.prev) {
      if (p === this.prev) return `path ${p} appears twice`;
      throw new Unsorted();
    }
    this.prev = p;
    const chain = this.chain;
    while (chain.length > 0 && !p.startsWith(chain[chain.length - 1])) chain.pop();
    for (const e of chain) if (p.length > e.length && p.charCodeAt(e.length) === 47) throw this.fileAndFolder(e);
    chain.push(p);
    return undefined;
  }

  /** After the last line: the file-and-folder check of an unsorted manifest. */
  finish(): void {
    if (!this.all) return;
    for (const p of this.all) {
      let slash = p.lastIndexOf('/');
      while (slash > 0) {
        const parent = p.slice(0, slash);
        if (this.all.has(parent)) throw this.fileAndFolder(parent);
        slash = parent.lastIndexOf('/');
      }
    }
  }

  private fileAndFolder(parent: string): MvgitError {
    return new MvgitError('MANIFEST_INVALID', `manifest ${this.name}: ${parent} is both a file and a folder`, {
      hint: "the directory's manifest is damaged; restore the pointer from git history",
    });
  }
}

/**
 * Reads every line of a manifest, validated, calling `visit` with each entry. A manifest out of
 * order is read a second time with every path kept: `restart` tells the caller to forget what
 * the first pass visited.
 */
function readManifest(
  source: ManifestSource,
  name: string,
  visit: (path: string, oid: string, size: number, x: boolean) => void,
  restart: () => void,
): void {
  const bad = (i: number, why: string): MvgitError =>
    new MvgitError('MANIFEST_INVALID', `manifest ${name}, line ${i + 1}: ${why}`, {
      hint: "the directory's manifest is damaged; run 'mvgit fsck', or restore the pointer from git history",
      data: { manifest: name, line: i + 1 },
    });
  const pass = (sorted: boolean): void => {
    const check = new PathCheck(sorted, name);
    for (const [i, line] of manifestLines(source)) {
      if (line === '') continue;
      const r = lineFields(line);
      if (typeof r === 'string') throw bad(i, r);
      const problem = entryProblem(r) ?? check.add(r.path as string);
      if (problem) throw bad(i, problem);
      visit(r.path as string, r.oid as string, r.size as number, r.x === true);
    }
    check.finish();
  };
  try {
    pass(true);
  } catch (err) {
    if (!(err instanceof Unsorted)) throw err;
    restart();
    pass(false);
  }
}

/**
 * Parses manifest bytes, refusing anything that could write outside the artifact's folder.
 * `name` says where the manifest came from, for errors. Every line is validated; with `keep`,
 * only the entries it accepts are returned (manifestChanges).
 */
export function parseManifest(
  bytes: ManifestSource,
  name: string,
  keep?: (path: string, oid: string) => boolean,
): ManifestEntry[] {
  let entries: ManifestEntry[] = [];
  readManifest(
    bytes,
    name,
    (path, oid, size, x) => {
      if (keep && !keep(path, oid)) return;
      const entry: ManifestEntry = { path, oid, size };
      if (x) entry.x = true;
      entries.push(entry);
    },
    () => {
      entries = [];
    },
  );
  return entries;
}

/**
 * What a switch between two versions of a folder must look at: the paths whose content differs
 * (changed, added or removed) and the new manifest's entries for those it still has. The old
 * version is given by what the work tree was recorded at (each path's oid), not by its
 * manifest, which is then never read: of the new one, every line is validated but only the
 * changed ones become entries. So the 19,000 files a 1,000-file switch leaves alone cost a
 * line check each, and the memory follows the change, not the folder: the new manifest may be
 * given as pieces read from the store, and its paths are kept only when some old path is
 * missing from it (a second read finds which).
 */
export function manifestChanges(
  before: { oidOf(path: string): string | undefined; paths(): Iterable<string> },
  after: { bytes: ManifestSource; name: string },
): { changed: Set<string>; target: Map<string, ManifestEntry> } {
  let matched = 0;
  let added: ManifestEntry[] = [];
  readManifest(
    after.bytes,
    after.name,
    (path, oid, size, x) => {
      const was = before.oidOf(path);
      if (was !== undefined) matched++;
      if (was === oid) return;
      const entry: ManifestEntry = { path, oid, size };
      if (x) entry.x = true;
      added.push(entry);
    },
    () => {
      matched = 0;
      added = [];
    },
  );
  const target = new Map(added.map((e) => [e.path, e]));
  const changed = new Set(target.keys());
  let count = 0;
  for (const _path of before.paths()) count++;
  if (matched < count) {
    const present = new Set<string>();
    parseManifest(after.bytes, after.name, (path) => {
      present.add(path);
      return false;
    });
    for (const path of before.paths()) if (!present.has(path)) changed.add(path);
  }
  return { changed, target };
}
