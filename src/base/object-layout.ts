/**
 * The object layout, the same in the cache and on every remote: `objects/sha256/ab/cdef...`,
 * objects read-only and sealed with a fixed mtime, published by a rename of a complete temp.
 */
import fs from 'node:fs';
import path from 'node:path';

/**
 * Objects carry this mtime as a seal: any write to an object (an edit through a hard link, a
 * tool that rewrites it) moves its mtime, so a checkout that finds a broken seal re-hashes the
 * object before it trusts it, at the cost of one lstat when the seal is whole.
 */
export const SEAL_SECONDS = 946684800; // 2000-01-01T00:00:00Z

/** An object's place under an objects folder, with `/`: `ab/cdef...` (its first two hex digits, then the rest). */
export function fanPath(hex: string): string {
  return `${hex.slice(0, 2)}/${hex.slice(2)}`;
}

/** Where the object `hex` lives under `objectsDir`. */
export function objectPath(objectsDir: string, hex: string): string {
  // Concatenated, not path.join'ed: add and checkout ask this for every file, and a hex name
  // needs no normalizing. A folder given with a trailing separator (or none at all) is allowed.
  const sep = objectsDir === '' || objectsDir.endsWith(path.sep) ? '' : path.sep;
  return `${objectsDir}${sep}${hex.slice(0, 2)}${path.sep}${hex.slice(2)}`;
}

/**
 * Makes a complete temp file an object: read-only, sealed, renamed to its name. Every path
 * into a store (add, fetch, a folder remote) ends here, so they all leave the same seal.
 */
export function publishObject(tmp: string, obj: string): void {
  fs.chmodSync(tmp, 0o444);
  sealAndPublish(tmp, obj);
}

/** Seals a complete temp file (its fixed mtime) and renames it to the object's name. */
export function sealAndPublish(tmp: string, obj: string): void {
  fs.utimesSync(tmp, SEAL_SECONDS, SEAL_SECONDS);
  // rename over an existing object is harmless: same name, same bytes (another process won).
  fs.renameSync(tmp, obj);
}

/** True when an object exists with an unbroken seal and the expected size. */
export function objectSealed(obj: string, size: number): boolean {
  // A number stat, not a BigInt one (add asks this for every file): the seal is whole seconds,
  // which mtimeMs holds exactly, and a write stamps the clock's time, never the seal plus a
  // few nanoseconds.
  const st = fs.statSync(obj, { throwIfNoEntry: false });
  return st !== undefined && st.size === size && st.mtimeMs === SEAL_SECONDS * 1000;
}
