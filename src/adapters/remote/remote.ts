/**
 * The one interface every storage backend implements. Objects are addressed by their sha256
 * (64 hex digits) and laid out as in the cache: `objects/sha256/ab/cdef...`. Every call
 * streams: no backend ever holds a whole object in memory.
 */
import type { Readable } from 'node:stream';
import { fanPath } from '../../base/object-layout.js';

/** An object on a remote, as a listing reports it. */
export interface RemoteObject {
  hex: string;
  size: number;
  /** When it was uploaded (ms since the epoch), where the backend says. */
  uploaded?: number;
}

/** Callbacks of one transfer. */
export interface TransferHooks {
  /** Called with each run of bytes sent, for progress. */
  onBytes?: (n: number) => void;
}

export interface HasManyOptions {
  concurrency?: number;
  /** Expected sizes, where known. */
  sizes?: ReadonlyMap<string, number>;
}

export interface Remote {
  /** The name in the config, or the URL when opened by URL. */
  readonly name: string;
  /** Where it is, for messages (never with credentials). */
  readonly url: string;
  /** True when the remote holds the object. */
  has(hex: string): Promise<boolean>;
  /**
   * Which of `hexes` the remote holds. Backends choose between a listing and one request per
   * object, whichever costs fewer requests for the count. Where a backend cannot rule out a
   * partly written object, one whose size differs from `sizes` counts as absent.
   */
  hasMany(hexes: string[], options?: HasManyOptions): Promise<Set<string>>;
  /**
   * Uploads a cache object from `file`. The object becomes visible whole or not at all, and
   * replaces what was at its name (so `fsck --remote --repair` can overwrite a corrupt copy).
   * The remote gets a copy of its own: never a link that a write to the cache would reach.
   */
  put(hex: string, file: string, size: number, hooks?: TransferHooks): Promise<void>;
  /** Opens an object for reading; rejects with OBJECT_MISSING when the remote lacks it. */
  get(hex: string): Promise<Readable>;
  /** Every object on the remote. */
  list(): AsyncIterable<RemoteObject>;
  /**
   * The object's file, for a remote that is a folder on this machine: small objects are then
   * read in one call rather than streamed. Absent for network remotes.
   */
  localPath?(hex: string): string;
  /** Removes objects; ones already gone are not an error. */
  delete(hexes: string[]): Promise<void>;
  /**
   * Removes what killed uploads left: a folder's temp files (a live process's are left alone),
   * an S3 remote's unfinished multipart uploads older than `olderThanMs` (default a day).
   */
  sweepTemps?(olderThanMs?: number): Promise<void>;
  /** Releases connections; the remote is not used after. */
  close(): void;
}

export const OBJECTS_PREFIX = 'objects/sha256/';
export const HEX_RE = /^[0-9a-f]{64}$/;

/** `objects/sha256/ab/cdef...` for an object. */
export function objectKey(hex: string): string {
  return OBJECTS_PREFIX + fanPath(hex);
}

/** Object ids grouped by their fan-out folder (the first two hex digits), for listing-based checks. */
export function groupByFan(hexes: string[]): Map<string, string[]> {
  const byFan = new Map<string, string[]>();
  for (const h of hexes) {
    const fan = h.slice(0, 2);
    const list = byFan.get(fan);
    if (list) list.push(h);
    else byFan.set(fan, [h]);
  }
  return byFan;
}
