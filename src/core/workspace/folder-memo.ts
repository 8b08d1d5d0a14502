import fs from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../../base/hash.js';
import type { Repo } from '../repo/repo.js';
import { keyOf, snapshotHolds, type FolderSnapshot } from './folder-snapshot.js';
import { writeFileAtomic } from '../../base/fs/atomic-write.js';

/**
 * What the hooks and status remember of a folder artifact they found unchanged: the pointer file's
 * fingerprint and oid then, and a snapshot of the folder. While the pointer file and the
 * snapshot still hold, the folder is exactly what it was, which was what its pointer says, so
 * the stat cache (one large JSON per folder) need not even be read. Kept beside the stat cache
 * in `<git dir>/mvgit/hooks/`; it is only a shortcut: anything odd means "look properly".
 */
interface QuickRecord {
  v: 1;
  path: string;
  pointer: string;
  oid: string;
  snapshot: FolderSnapshot;
  /** The object store's generation when every object of `oid` was seen in it (status reads it). */
  present?: string;
}

function recordFile(repo: Repo, artifactPath: string): string {
  return path.join(repo.dataDir, 'hooks', `${sha256Hex(artifactPath).slice(0, 32)}.json`);
}

/** True when the folder artifact and its pointer are as a hook last found them (and in step then). */
export function folderUnchanged(repo: Repo, artifactPath: string, abs: string, pointerAbs: string): boolean {
  return folderAsRemembered(repo, artifactPath, abs, pointerAbs) !== null;
}

/**
 * The remembered oid (and store generation) of a folder artifact still exactly as it was
 * remembered, pointer file included; null when anything differs or nothing is remembered.
 */
export function folderAsRemembered(
  repo: Repo,
  artifactPath: string,
  abs: string,
  pointerAbs: string,
): { oid: string; present?: string } | null {
  let rec: QuickRecord;
  try {
    rec = JSON.parse(fs.readFileSync(recordFile(repo, artifactPath), 'utf8')) as QuickRecord;
  } catch {
    return null;
  }
  if (rec.v !== 1 || rec.path !== artifactPath || typeof rec.snapshot?.links !== 'boolean') return null;
  if (keyOf(pointerAbs) !== rec.pointer || !snapshotHolds(abs, rec.snapshot)) return null;
  return { oid: rec.oid, ...(typeof rec.present === 'string' ? { present: rec.present } : {}) };
}

/**
 * Remembers a folder a hook has just checked against the stat cache and found in step with its
 * pointer (`pointer` is the pointer file's fingerprint then, `oid` its content oid).
 */
export function rememberFolder(
  repo: Repo,
  artifactPath: string,
  pointer: string,
  oid: string,
  snapshot: FolderSnapshot,
  present?: string,
): void {
  const file = recordFile(repo, artifactPath);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(
      file,
      JSON.stringify({
        v: 1,
        path: artifactPath,
        pointer,
        oid,
        snapshot,
        ...(present ? { present } : {}),
      } satisfies QuickRecord),
    );
  } catch {
    // a read-only git dir only loses the shortcut
  }
}
