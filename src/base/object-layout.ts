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
const SEAL_NS = BigInt(SEAL_SECONDS) * 1_000_000_000n;

/** An object's place under an objects folder, with `/`: `ab/cdef...` (its first two hex digits, then the rest). */
export function fanPath(hex: string): string {
  return `${hex.slice(0, 2)}/${hex.slice(2)}`;
}

/** Where the object `hex` lives under `objectsDir`. */
export function objectPath(objectsDir: string, hex: string): string {
  return path.join(objectsDir, fanPath(hex));
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
  const st = fs.statSync(obj, { bigint: true, throwIfNoEntry: false });
  return st !== undefined && st.size === BigInt(size) && st.mtimeNs === SEAL_NS;
}
