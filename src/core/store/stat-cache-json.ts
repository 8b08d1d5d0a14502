/**
 * The stat-cache record file, `{"v":1,"path":...,"state":{...,"files":{rel:[key,hex],...}}}`,
 * written and read in pieces. A million-file record is ~145 MB of JSON: written as one
 * JSON.stringify string, or read as one buffer, one string and JSON.parse, it was the largest
 * thing a million-file add or switch held. The bytes are what JSON.stringify writes, so any
 * mvgit reads what any other wrote.
 */
import fs from 'node:fs';

/** Path inside the artifact -> [fingerprint, hex] (ArtifactState.files in stat-cache.ts). */
type Files = Record<string, [key: string, hex: string]>;

export interface RecordFile {
  v: number;
  path: string;
  /** An ArtifactState (stat-cache.ts), as far as this file needs to know. */
  state: { files: Files };
}

/** Pieces of this size are written as they fill, and read one at a time. */
const PIECE = 1 << 20;
/** A string JSON.stringify writes as it is, between quotes. */
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

function quoted(s: string): string {
  return PLAIN.test(s) ? `"${s}"` : JSON.stringify(s);
}

/** The record's JSON in pieces of about 1 MB, as JSON.stringify would write it whole. */
export function* recordJson(version: number, artifactPath: string, state: { files: Files }): Generator<string> {
  const { files, ...rest } = state;
  const head = JSON.stringify({ v: version, path: artifactPath, state: rest });
  // head ends in "}}": the files object goes inside the state object.
  let piece = `${head.slice(0, head.length - 2)}${head.endsWith('{}}') ? '' : ','}"files":{`;
  let first = true;
  for (const rel of Object.keys(files)) {
    const [key, hex] = files[rel];
    piece += `${first ? '' : ','}${quoted(rel)}:[${quoted(key)},${quoted(hex)}]`;
    first = false;
    if (piece.length >= PIECE) {
      yield piece;
      piece = '';
    }
  }
  yield `${piece}}}}`;
}

/**
 * Reads a record file (throws when it is missing or not JSON). A record whose names need no
 * JSON escape (every record of plain file names) is read in pieces, each string decoded on its
 * own from the bytes; any other is read whole by JSON.parse.
 */
export function readRecordFile(file: string): RecordFile {
  const fd = fs.openSync(file, 'r');
  let read: RecordFile | undefined;
  try {
    read = readInPieces(fd);
  } finally {
    fs.closeSync(fd);
  }
  return read ?? (JSON.parse(fs.readFileSync(file, 'utf8')) as RecordFile);
}

const FILES = Buffer.from('"files":{');
const NEED = -1;
const BAD = -2;

/** The record read entry by entry, or undefined when it is not in the shape this reader takes. */
function readInPieces(fd: number): RecordFile | undefined {
  let buf = Buffer.alloc(0);
  let p = 0;
  /** Reads the next piece onto what is left of the buffer from `p`; false at the end of the file. */
  const more = (): boolean => {
    const piece = Buffer.allocUnsafe(PIECE);
    const n = fs.readSync(fd, piece, 0, PIECE, null);
    if (n === 0) return false;
    buf = Buffer.concat([buf.subarray(p), piece.subarray(0, n)]);
    p = 0;
    return true;
  };
  // The head, up to the files object: a few small fields (v, path, oid, present, pointer).
  let at = buf.indexOf(FILES);
  while (at < 0) {
    if (buf.length > 1 << 16 || !more()) return undefined;
    at = buf.indexOf(FILES);
  }
  const head = buf.toString('utf8', 0, at);
  p = at + FILES.length;
  const files: Files = {};
  let first = true;
  for (;;) {
    if (p >= buf.length && !more()) return undefined;
    if (buf[p] === 0x7d) {
      p++;
      break;
    }
    const next = entryAt(buf, p, !first, files);
    if (next === BAD) return undefined;
    if (next === NEED) {
      if (!more()) return undefined;
      continue;
    }
    p = next;
    first = false;
  }
  let tail = buf.toString('utf8', p);
  while (more()) tail += buf.toString('utf8');
  const raw = JSON.parse(`${head}"files":0${tail}`) as RecordFile;
  if (raw?.state?.files !== (0 as unknown)) return undefined;
  raw.state.files = files;
  return raw;
}

/**
 * Reads one `"rel":["key","hex"]` (after a comma unless first) at `p` into `files`: the position
 * after it, NEED when the buffer ends inside it, BAD for anything else (the caller reads the
 * file whole). A string holding a backslash is BAD: its quote might be escaped. Fingerprints
 * and hashes are ASCII by construction, and read as such (anything else is a cache miss).
 */
function entryAt(buf: Buffer, p: number, comma: boolean, files: Files): number {
  let i = p;
  if (comma) {
    if (i >= buf.length) return NEED;
    if (buf[i++] !== 0x2c) return BAD;
  }
  let end = stringEnd(buf, i);
  if (end < 0) return end;
  const rel = buf.toString('utf8', i + 1, end);
  if (rel.includes('\\')) return BAD;
  i = end + 1;
  if (i + 1 >= buf.length) return NEED;
  if (buf[i] !== 0x3a || buf[i + 1] !== 0x5b) return BAD;
  i += 2;
  end = stringEnd(buf, i);
  if (end < 0) return end;
  const key = buf.toString('latin1', i + 1, end);
  i = end + 1;
  if (i >= buf.length) return NEED;
  if (buf[i++] !== 0x2c) return BAD;
  end = stringEnd(buf, i);
  if (end < 0) return end;
  const hex = buf.toString('latin1', i + 1, end);
  i = end + 1;
  if (i >= buf.length) return NEED;
  if (buf[i++] !== 0x5d) return BAD;
  if (key.includes('\\') || hex.includes('\\')) return BAD;
  files[rel] = [key, hex];
  return i;
}

/** The position of the closing quote of the string opening at `i`, or NEED, or BAD. */
function stringEnd(buf: Buffer, i: number): number {
  if (i >= buf.length) return NEED;
  if (buf[i] !== 0x22) return BAD;
  const close = buf.indexOf(0x22, i + 1);
  return close < 0 ? NEED : close;
}
