import fs from 'node:fs';
import path from 'node:path';
import { keyMtimeMs } from '../../base/fs/stat-key.js';
import { sha256Hex } from '../../base/hash.js';
import { writeFileAtomic } from '../../base/fs/atomic-write.js';
import { readRecordFile, recordJson } from './stat-cache-json.js';
import { RACY_MS } from '../../base/fs/stat-key.js';
import { decodeSnapshot, recordsOf } from './folder-snapshot.js';

/**
 * What mvgit last saw of one artifact in the work tree: for each file its stat fingerprint
 * (src/core/store/file-ops.ts statKey) and content hash, so an unchanged file is never re-hashed.
 * Kept per artifact, so a status of one model never loads the fingerprints of a
 * 100,000-file dataset beside it.
 */
export interface ArtifactState {
  /** The pointer file's fingerprint and oid when last read: lets hooks skip parsing YAML. */
  pointer?: [key: string, oid: string];
  /**
   * The content oid the work tree had when every entry of `files` was recorded together
   * (the manifest's for a directory); absent when `files` is partial.
   */
  oid?: string;
  /** Path inside the artifact ('' for a single file) -> [fingerprint, hex]. */
  files: Record<string, [key: string, hex: string]>;
  /**
   * The object store's generation (ObjectStore.generation) when every object of `oid` was
   * seen in the cache; while nothing has removed objects since, status need not look again.
   */
  present?: string;
}

const VERSION = 1;

/**
 * Where a folder's memo lives (src/core/workspace/folder-memo.ts): every file's stats and hash
 * as last found in step with its pointer, in a binary form that a million files read fast.
 */
export function memoFileIn(dataDir: string, artifactPath: string): string {
  return path.join(dataDir, 'hooks', `${sha256Hex(artifactPath).slice(0, 32)}.memo`);
}

/** The stat cache of a repo: one small JSON file per artifact under `<git dir>/mvgit/state/`. */
export class StatCache {
  constructor(private readonly dir: string) {}

  private fileFor(artifactPath: string): string {
    return path.join(this.dir, `${sha256Hex(artifactPath).slice(0, 32)}.json`);
  }

  /** True when some state of the artifact is recorded (one existence check, nothing parsed). */
  has(artifactPath: string): boolean {
    return fs.existsSync(this.fileFor(artifactPath));
  }

  /** The recorded state of an artifact, or an empty one. Never throws on a damaged file: it is only a cache. */
  load(artifactPath: string): ArtifactState {
    try {
      const raw = readRecordFile(this.fileFor(artifactPath)) as {
        v: number;
        path: string;
        state?: ArtifactState;
        memo?: true;
      };
      if (raw.v === VERSION && raw.path === artifactPath && raw.memo === true) return this.fromMemo(artifactPath);
      if (raw.v === VERSION && raw.path === artifactPath && raw.state && typeof raw.state.files === 'object')
        return raw.state;
    } catch {
      // missing or damaged: start afresh
    }
    return { files: {} };
  }

  /**
   * Says the folder's record is its memo (an add that took its files from the memo wrote a new
   * one): a million records are then not rewritten as JSON for one changed file, and a later
   * load reads them from the memo.
   */
  saveAsMemo(artifactPath: string): void {
    fs.mkdirSync(this.dir, { recursive: true });
    writeFileAtomic(this.fileFor(artifactPath), JSON.stringify({ v: VERSION, path: artifactPath, memo: true }));
  }

  private fromMemo(artifactPath: string): ArtifactState {
    const memo = decodeSnapshot(fs.readFileSync(memoFileIn(path.dirname(this.dir), artifactPath)));
    const head = memo?.head;
    if (!memo || head?.v !== 2 || head.path !== artifactPath || typeof head.oid !== 'string') return { files: {} };
    return {
      oid: head.oid,
      files: recordsOf(memo.snap),
      ...(typeof head.pointer === 'string' ? { pointer: [head.pointer, `sha256:${head.oid}`] } : {}),
      ...(typeof head.present === 'string' ? { present: head.present } : {}),
    };
  }

  /**
   * Writes an artifact's state atomically, so a killed run leaves the old state or the new one.
   * `ownWrites` names the files mvgit itself just wrote (`true`: all of them), whose fresh
   * fingerprints are trusted; any other fingerprint too close to now is dropped (racy).
   */
  save(artifactPath: string, state: ArtifactState, ownWrites?: ReadonlySet<string> | true): void {
    const racyAfter = Date.now() - RACY_MS;
    // By key, not Object.entries: no array of a million [rel, record] pairs beside the record.
    if (ownWrites !== true) {
      for (const rel of Object.keys(state.files)) {
        if (keyMtimeMs(state.files[rel][0]) > racyAfter && !ownWrites?.has(rel)) {
          delete state.files[rel];
          delete state.oid; // the record is no longer whole
          delete state.present;
        }
      }
    }
    const file = this.fileFor(artifactPath);
    fs.mkdirSync(this.dir, { recursive: true });
    writeFileAtomic(file, recordJson(VERSION, artifactPath, state));
  }

  /** Forgets an artifact (after untrack or when it is removed). */
  drop(artifactPath: string): void {
    fs.rmSync(this.fileFor(artifactPath), { force: true });
  }
}
