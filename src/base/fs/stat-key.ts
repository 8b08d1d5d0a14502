import type fs from 'node:fs';

/**
 * File systems stamp mtimes from a coarse clock (a jiffy, up to 10 ms), so a file written
 * twice within one tick keeps its fingerprint: the "racy git" problem. A fingerprint whose
 * mtime is this close to the moment it is taken is not trusted later.
 */
export const RACY_MS = 25;
export const RACY_NS = BigInt(RACY_MS) * 1_000_000n;

/**
 * A stat fingerprint: device, inode, size, and mtime and ctime in milliseconds with the
 * nanoseconds as a fraction (Node's own `mtimeMs`, exact to about 0.25 µs). ctime is in it
 * because tools that restore mtime after writing (rsync -t, touch -d) cannot forge ctime.
 * Number and BigInt stats give the same key; walks use number stats, which cost far less to
 * make than BigInt ones (no BigInts, no eager Dates) when 20,000 files are looked at.
 */
export function statKey(st: fs.Stats | fs.BigIntStats): string {
  if (typeof st.ino === 'bigint') {
    const b = st as fs.BigIntStats;
    return `${b.dev}:${b.ino}:${b.size}:${msOf(b.mtimeNs)}:${msOf(b.ctimeNs)}`;
  }
  const n = st as fs.Stats;
  return `${n.dev}:${n.ino}:${n.size}:${n.mtimeMs}:${n.ctimeMs}`;
}

/** Node's formula for `mtimeMs` from nanoseconds, so BigInt and number stats agree to the bit. */
export function msOf(ns: bigint): number {
  return Number(ns / 1_000_000_000n) * 1e3 + Number(ns % 1_000_000_000n) / 1e6;
}

/** The mtime (ms) a fingerprint carries. */
export function keyMtimeMs(key: string): number {
  // indexOf, not split: the stat cache asks this of every entry on each save (a million at scale).
  let at = -1;
  for (let i = 0; i < 3; i++) {
    at = key.indexOf(':', at + 1);
    if (at < 0) return 0;
  }
  const end = key.indexOf(':', at + 1);
  return Number(end < 0 ? key.slice(at + 1) : key.slice(at + 1, end));
}
