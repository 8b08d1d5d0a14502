/**
 * A remote in a local folder or a mounted share. The remote is a backup, so it holds its own
 * copy of every object (a clone where the file system can make one), never a hard link to the
 * cache: in hardlink mode a cache object is also a work-tree file, and a write through it as
 * root (who ignores the read-only bit) would destroy the version in every place at once.
 * Copies are written beside their final name and renamed, so a reader never sees half an
 * object; the temps of a killed push are cleared by the next push into the same folder and by
 * `gc --remote`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { errnoCode, MvgitError } from '../../base/errors.js';
import { clearDeadTemps, tmpPathBeside } from '../../base/fs/temp-files.js';
import { HEX_RE, type Remote, type RemoteObject, type TransferHooks, groupByFan } from './remote.js';
import { objectPath } from '../../base/object-layout.js';

/** Below this many objects a stat each is cheaper than reading the fan-out folders. */
const STAT_LIMIT = 256;

export class LocalRemote implements Remote {
  readonly objectsDir: string;
  /** Fan-out folders this remote has made (or found) and cleared of dead temps. */
  private readonly prepared = new Set<string>();

  constructor(
    readonly name: string,
    readonly root: string,
  ) {
    this.objectsDir = path.join(root, 'objects', 'sha256');
  }

  get url(): string {
    return this.root;
  }

  private file(hex: string): string {
    return objectPath(this.objectsDir, hex);
  }

  localPath(hex: string): string {
    return this.file(hex);
  }

  async has(hex: string): Promise<boolean> {
    return fs.existsSync(this.file(hex));
  }

  async hasMany(hexes: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    if (hexes.length <= STAT_LIMIT) {
      for (const h of hexes) if (fs.existsSync(this.file(h))) out.add(h);
      return out;
    }
    const byFan = groupByFan(hexes);
    for (const [fan, wanted] of byFan) {
      let names: Set<string>;
      try {
        names = new Set(fs.readdirSync(path.join(this.objectsDir, fan)));
      } catch {
        continue;
      }
      for (const h of wanted) if (names.has(h.slice(2))) out.add(h);
    }
    return out;
  }

  async put(hex: string, file: string, size: number, hooks?: TransferHooks): Promise<void> {
    const dest = this.file(hex);
    this.prepareOnce(path.dirname(dest));
    const tmp = tmpPathBeside(dest);
    try {
      // A copy of its own (a clone is one too: copy-on-write), so no write elsewhere reaches it.
      // copyFile gives the copy the cache object's mode, read-only; no seal: nothing trusts a
      // remote object's mtime (a fetch hashes what it brings in).
      await fs.promises.copyFile(file, tmp, fs.constants.COPYFILE_FICLONE | fs.constants.COPYFILE_EXCL);
      // Renamed over whatever is at the name: a repair replaces a corrupt copy this way. On
      // this thread: a rename is cheaper than the thread-pool round trip it would take.
      fs.renameSync(tmp, dest);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    hooks?.onBytes?.(size);
  }

  /**
   * Makes a fan-out folder and clears the temps that killed pushes left there, once per folder
   * for this remote: a push of many objects pays one mkdir per folder, not one per object.
   */
  private prepareOnce(dir: string): void {
    if (this.prepared.has(dir)) return;
    fs.mkdirSync(dir, { recursive: true });
    clearDeadTemps(dir);
    this.prepared.add(dir);
  }

  /** Removes the temps of killed pushes from every fan-out folder (`gc --remote`). */
  async sweepTemps(): Promise<void> {
    let fans: string[];
    try {
      fans = fs.readdirSync(this.objectsDir);
    } catch {
      return;
    }
    for (const fan of fans) if (fan.length === 2) clearDeadTemps(path.join(this.objectsDir, fan));
  }

  async get(hex: string): Promise<Readable> {
    const file = this.file(hex);
    let handle: fs.promises.FileHandle;
    try {
      // Opened without waiting: a FIFO where an object should be would block the open forever.
      handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
      if (!fs.existsSync(this.root))
        throw new MvgitError('REMOTE_ERROR', `the folder of remote '${this.name}' does not exist: ${this.root}`, {
          hint: 'check the path (mvgit remote list), or mount the share',
        });
      throw notOnRemote(this, hex);
    }
    const st = await handle.stat().catch(async (err) => {
      await handle.close();
      throw err;
    });
    if (!st.isFile()) {
      // A FIFO, a device or a folder is no object.
      await handle.close();
      throw notOnRemote(this, hex);
    }
    return handle.createReadStream();
  }

  async *list(): AsyncIterable<RemoteObject> {
    let fans: string[];
    try {
      fans = fs.readdirSync(this.objectsDir);
    } catch {
      return;
    }
    for (const fan of fans.sort()) {
      if (fan.length !== 2) continue;
      let names: string[];
      try {
        names = fs.readdirSync(path.join(this.objectsDir, fan));
      } catch {
        continue;
      }
      for (const rest of names.sort()) {
        const hex = fan + rest;
        if (!HEX_RE.test(hex)) continue;
        const st = fs.statSync(path.join(this.objectsDir, fan, rest), { throwIfNoEntry: false });
        // ctime: it moves when the copy is published by rename (mtime is the copy's, or a seal's).
        if (st) yield { hex, size: st.size, uploaded: st.ctimeMs };
      }
    }
  }

  async delete(hexes: string[]): Promise<void> {
    for (const h of hexes) fs.rmSync(this.file(h), { force: true });
  }

  close(): void {}
}

/** The error for an object the remote does not hold. */
export function notOnRemote(remote: Pick<Remote, 'name' | 'url'>, hex: string): MvgitError {
  return new MvgitError('OBJECT_MISSING', `object ${hex} is not on remote '${remote.name}' (${remote.url})`, {
    hint: 'push it from a clone that has it (mvgit push), or check that this is the right remote (mvgit remote list)',
    data: { oid: `sha256:${hex}`, remote: remote.name },
  });
}
