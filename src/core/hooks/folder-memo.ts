import fs from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../../base/hash.js';
import type { Repo } from '../repo/repo.js';
import { keyOf, snapshotHolds, type FolderSnapshot } from './unchanged-check.js';
import { writeFileAtomic } from '../../base/fs/atomic-write.js';

/**
 * What the hooks remember of a folder artifact they found unchanged: the pointer file's
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
}

function recordFile(repo: Repo, artifactPath: string): string {
  return path.join(repo.dataDir, 'hooks', `${sha256Hex(artifactPath).slice(0, 32)}.json`);
}

/** True when the folder artifact and its pointer are as a hook last found them (and in step then). */
export function folderUnchanged(repo: Repo, artifactPath: string, abs: string, pointerAbs: string): boolean {
  let rec: QuickRecord;
  try {
    rec = JSON.parse(fs.readFileSync(recordFile(repo, artifactPath), 'utf8')) as QuickRecord;
  } catch {
    return false;
  }
  if (rec.v !== 1 || rec.path !== artifactPath || typeof rec.snapshot?.links !== 'boolean') return false;
  return keyOf(pointerAbs) === rec.pointer && snapshotHolds(abs, rec.snapshot);
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
): void {
  const file = recordFile(repo, artifactPath);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, JSON.stringify({ v: 1, path: artifactPath, pointer, oid, snapshot } satisfies QuickRecord));
  } catch {
    // a read-only git dir only loses the shortcut
  }
}
