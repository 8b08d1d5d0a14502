/**
 * What `mvgit textconv FILE` shows for one version of a pointer file (git's `diff.mvgit.textconv`).
 * Git hands over the blob in a temp file and runs the command from the top of the work tree, so
 * the repository (and its cache, for a folder's manifest) is found from the working directory.
 */
import { parseManifest } from '../pointer/manifest.js';
import { oidHex, parsePointer, type Pointer } from '../pointer/pointer.js';
import { findRepo } from '../repo/repo.js';
import { ObjectStore } from '../store/object-store.js';
import { type FolderFiles, pointerLines } from './pointer-lines.js';

/**
 * The text git diffs for `bytes`: the pointer's lines, or `bytes` unchanged when they are not a
 * valid pointer (a conflicted or hand-edited file): textconv must never fail a `git diff`.
 *
 * @example
 * process.stdout.write(textconv(fs.readFileSync(file), process.cwd()));
 */
export function textconv(bytes: Buffer, cwd: string): Buffer {
  let pointer: Pointer;
  try {
    pointer = parsePointer(bytes.toString('utf8'), 'pointer');
  } catch {
    return bytes;
  }
  const files = pointer.files !== undefined ? folderFiles(pointer, cwd) : undefined;
  return Buffer.from(`${pointerLines(pointer, files).join('\n')}\n`, 'utf8');
}

/** A folder's files from the cache's manifest; `missing` when it is not there or cannot be read. */
function folderFiles(pointer: Pointer, cwd: string): FolderFiles {
  try {
    const store = new ObjectStore(findRepo(cwd));
    const hex = oidHex(pointer.oid);
    if (!store.has(hex)) return 'missing';
    return parseManifest(store.readVerified(hex, `manifest of ${pointer.path}`), pointer.oid);
  } catch {
    // Outside a repository, or a damaged manifest: the diff still shows the pointer.
    return 'missing';
  }
}
