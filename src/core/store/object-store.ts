import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MvgitError } from '../../base/errors.js';
import { storeTempPath, verifyObject } from './file-ops.js';
import { objectPath, objectSealed, SEAL_SECONDS } from '../../base/object-layout.js';
import { TMP_MARK } from '../../base/fs/temp-files.js';
import { sha256Hex } from '../../base/hash.js';
import { writeFileAtomic } from '../../base/fs/atomic-write.js';

const HEX_RE = /^[0-9a-f]{64}$/;

/**
 * The content-addressed object store in `<git common dir>/mvgit/cache/objects/sha256/ab/cdef...`.
 * Objects are written to a temp file beside their final name and renamed, so a reader never
 * sees a partial object; once written they are read-only.
 */
export class ObjectStore {
  readonly dir: string;

  /** `repo.dataDir`: the store lives in `<dataDir>/cache`. */
  constructor(repo: { dataDir: string }) {
    this.dir = path.join(repo.dataDir, 'cache', 'objects', 'sha256');
  }

  /** The object's file. */
  path(hex: string): string {
    return objectPath(this.dir, hex);
  }

  has(hex: string): boolean {
    return fs.existsSync(this.path(hex));
  }

  /** Stores bytes held in memory (manifests); returns their hex oid. */
  putBuffer(bytes: Buffer): string {
    const hex = sha256Hex(bytes);
    const obj = this.path(hex);
    if (objectSealed(obj, bytes.length)) return hex;
    fs.mkdirSync(path.dirname(obj), { recursive: true });
    const tmp = storeTempPath(this.dir);
    fs.mkdirSync(path.dirname(tmp), { recursive: true });
    fs.writeFileSync(tmp, bytes, { mode: 0o444, flag: 'wx' });
    fs.utimesSync(tmp, SEAL_SECONDS, SEAL_SECONDS);
    fs.renameSync(tmp, obj);
    return hex;
  }

  /**
   * Stores bytes made piece by piece (a million-file manifest is ~110 MB): hashed and written to
   * a temp file as they come, then renamed to their name. Returns their hex oid.
   */
  putPieces(pieces: Iterable<Uint8Array>): string {
    const tmp = storeTempPath(this.dir);
    fs.mkdirSync(path.dirname(tmp), { recursive: true });
    const hash = createHash('sha256');
    let size = 0;
    try {
      const fd = fs.openSync(tmp, 'wx', 0o444);
      try {
        for (const piece of pieces) {
          hash.update(piece);
          fs.writeFileSync(fd, piece);
          size += piece.length;
        }
      } finally {
        fs.closeSync(fd);
      }
      const hex = hash.digest('hex');
      const obj = this.path(hex);
      if (objectSealed(obj, size)) {
        fs.rmSync(tmp, { force: true });
        return hex;
      }
      fs.mkdirSync(path.dirname(obj), { recursive: true });
      fs.utimesSync(tmp, SEAL_SECONDS, SEAL_SECONDS);
      fs.renameSync(tmp, obj);
      return hex;
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
  }

  /**
   * Reads a small object (a manifest) and checks it against its name, so a damaged manifest
   * can never steer a checkout. `what` names it in errors.
   */
  readVerified(hex: string, what: string): Buffer {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(this.path(hex));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw missingObject(hex, what);
      throw err;
    }
    if (sha256Hex(bytes) !== hex) throw corruptObject(hex, what, this.path(hex));
    return bytes;
  }

  /** Re-hashes one object. */
  verify(hex: string): boolean {
    return verifyObject(this.path(hex), hex);
  }

  /**
   * Every object's hex name. Reading the 256 fan-out folders is far cheaper than a stat per
   * object when many objects must be checked.
   */
  list(): Set<string> {
    const out = new Set<string>();
    let fans: string[];
    try {
      fans = fs.readdirSync(this.dir);
    } catch {
      return out;
    }
    for (const fan of fans) {
      if (fan.length !== 2) continue;
      for (const rest of fs.readdirSync(path.join(this.dir, fan))) {
        const hex = fan + rest;
        if (HEX_RE.test(hex)) out.add(hex);
      }
    }
    return out;
  }

  /** Temp files left by killed runs (they are never visible as objects). */
  listTemps(): string[] {
    const out: string[] = [];
    const walk = (dir: string): void => {
      let names: fs.Dirent[];
      try {
        names = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const d of names) {
        const p = path.join(dir, d.name);
        if (d.isDirectory()) walk(p);
        else if (d.name.includes(TMP_MARK)) out.push(p);
      }
    };
    walk(this.dir);
    return out;
  }

  /** Removes an object (gc, fsck --repair). The file is read-only, so its folder decides. */
  remove(hex: string): void {
    this.bumpGeneration();
    fs.rmSync(this.path(hex), { force: true });
  }

  private generationFile(): string {
    return path.join(path.dirname(path.dirname(this.dir)), 'generation');
  }

  private bumped = false;

  /**
   * A token that changes whenever objects leave the store. Objects are only ever added
   * otherwise, so "all of these were present at generation G" stays true while G is current,
   * and status can skip looking at every object of a large dataset.
   */
  generation(): string {
    this.bumped = false;
    // A user may delete the cache or its objects folder by hand: a new folder is a new generation.
    const dir = fs.statSync(this.dir, { throwIfNoEntry: false });
    const where = dir ? `@${dir.dev}:${dir.ino}` : '@none';
    try {
      return fs.readFileSync(this.generationFile(), 'utf8') + where;
    } catch {
      return `0${where}`;
    }
  }

  private bumpGeneration(): void {
    if (this.bumped) return;
    fs.mkdirSync(path.dirname(this.generationFile()), { recursive: true });
    writeFileAtomic(this.generationFile(), `${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2)}`);
    this.bumped = true;
  }

  /** Moves a corrupt object aside to `<cache>/corrupt/`, where a person can look at it. */
  quarantine(hex: string): string {
    this.bumpGeneration();
    const dest = path.join(path.dirname(path.dirname(this.dir)), 'corrupt', hex);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.renameSync(this.path(hex), dest);
    return dest;
  }
}

export function missingObject(hex: string, what: string): MvgitError {
  return new MvgitError('OBJECT_MISSING', `object ${hex.slice(0, 12)} for ${what} is not in the cache`, {
    hint: "fetch it with 'mvgit pull' from a remote that has it, or add the file again with 'mvgit add'",
    data: { oid: `sha256:${hex}`, artifact: what },
  });
}

export function corruptObject(hex: string, what: string, file: string): MvgitError {
  return new MvgitError(
    'OBJECT_CORRUPT',
    `object ${hex.slice(0, 12)} for ${what} is corrupt (its content no longer matches its hash): ${file}`,
    {
      hint: "run 'mvgit fsck --repair' to move it aside, then 'mvgit pull' or 'mvgit add' to get a good copy",
      data: { oid: `sha256:${hex}`, artifact: what, file },
    },
  );
}
