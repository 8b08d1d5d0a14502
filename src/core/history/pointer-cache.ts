import fs from 'node:fs';
import path from 'node:path';
import { statKey } from '../../base/fs/stat-key.js';
import type { Pointer } from '../pointer/pointer.js';
import type { Repo } from '../repo/repo.js';
import { writeFileAtomic } from '../../base/fs/atomic-write.js';
import { RACY_NS } from '../../base/fs/stat-key.js';

/**
 * Parsed pointers keyed by their file's stat fingerprint, in `<git dir>/mvgit/pointers.json`.
 * A status or hook that finds every pointer unchanged parses no YAML at all.
 */
export class PointerCache {
  private entries: Record<string, [key: string, pointer: Pointer]> = {};
  private dirty = false;
  private readonly file: string;

  constructor(repo: Repo) {
    this.file = path.join(repo.dataDir, 'pointers.json');
    try {
      const raw = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { v: number; entries: PointerCache['entries'] };
      if (raw.v === 1 && raw.entries) this.entries = raw.entries;
    } catch {
      // no cache yet, or a damaged one: it is rebuilt as pointers are read
    }
  }

  /** The cached pointer for a file whose fingerprint is still `st`'s. */
  get(pointerPath: string, st: fs.BigIntStats): Pointer | undefined {
    const e = this.entries[pointerPath];
    return e && e[0] === statKey(st) ? e[1] : undefined;
  }

  set(pointerPath: string, st: fs.BigIntStats, pointer: Pointer): void {
    if (st.mtimeNs > BigInt(Date.now()) * 1_000_000n - RACY_NS) return;
    this.entries[pointerPath] = [statKey(st), pointer];
    this.dirty = true;
  }

  /** Writes the cache if it changed; a read-only git dir only loses the speed-up. */
  save(): void {
    if (!this.dirty) return;
    try {
      writeFileAtomic(this.file, JSON.stringify({ v: 1, entries: this.entries }));
      this.dirty = false;
    } catch {
      // ignore: the cache is an optimisation
    }
  }
}
