/**
 * Writing one artifact from a remote straight to OUT, for `mvgit get`: the bytes stream into a
 * temp beside OUT while they are hashed, and only a complete, verified temp is renamed to OUT.
 * A folder is built whole in a temp folder beside OUT, every file verified against its
 * manifest, then renamed. On any failure the temp is removed and OUT is as it was. No cache is
 * involved: the bytes go from the remote to OUT and nowhere else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { MvgitError } from '../../base/errors.js';
import { runLimited } from '../../base/concurrency.js';
import { tmpPathBeside } from '../../base/fs/temp-files.js';
import { hashFile } from '../../base/hash.js';
import { failpoint } from '../../base/failpoint.js';
import { trackTemp } from './get-temps.js';
import type { Remote } from '../../adapters/remote/remote.js';
import { parseManifest } from '../pointer/manifest.js';
import { streamVerifying } from '../transfer/download.js';
import { oidHex, type Pointer } from '../pointer/pointer.js';

/** How many files of a folder download at once. */
const FOLDER_JOBS = 8;

/**
 * Downloads the artifact `pointer` describes from `remote` to `out` (absolute), replacing an
 * existing OUT only with `force` (checked by the caller). `what` names the artifact in errors.
 */
export async function downloadTo(
  remote: Remote,
  pointer: Pointer,
  out: string,
  what: string,
  force: boolean,
): Promise<void> {
  const tmp = tmpPathBeside(out);
  const removeTmp = trackTemp(() => fs.rmSync(tmp, { recursive: true, force: true }));
  try {
    if (pointer.files === undefined) await fetchObject(remote, oidHex(pointer.oid), pointer.size, tmp, what);
    else await fetchFolder(remote, pointer, tmp, what);
    await failpoint('get:before-publish');
    publish(tmp, out, force);
  } finally {
    removeTmp(); // after publish, nothing is there any more
  }
}

/** Renames the verified temp to OUT; with `force`, an existing OUT (a folder too) is moved aside first. */
function publish(tmp: string, out: string, force: boolean): void {
  const old = fs.lstatSync(out, { throwIfNoEntry: false });
  if (old && !force)
    throw new MvgitError('OUTPUT_EXISTS', `${out} already exists`, {
      hint: 'pick another path, or add --force to replace it',
      data: { out },
    });
  if (old?.isDirectory() && !fs.statSync(tmp).isDirectory())
    throw new MvgitError('OUTPUT_EXISTS', `${out} is a folder and the artifact is a file`, {
      hint: `name the file to write, e.g. -o ${path.join(out, 'model.pkl')}`,
      data: { out },
    });
  if (!old?.isDirectory()) {
    fs.renameSync(tmp, out);
    return;
  }
  const aside = tmpPathBeside(out);
  fs.renameSync(out, aside);
  try {
    fs.renameSync(tmp, out);
  } catch (err) {
    fs.renameSync(aside, out);
    throw err;
  }
  fs.rmSync(aside, { recursive: true, force: true });
}

/** One object into `dest`, hashed as it streams; OBJECT_CORRUPT (and no `dest`) when it does not match. */
async function fetchObject(remote: Remote, hex: string, size: number, dest: string, what: string): Promise<void> {
  const local = remote.localPath?.(hex);
  if (local !== undefined && fs.statSync(local, { throwIfNoEntry: false })?.isFile()) {
    // A folder remote: the kernel copies (or clones) and the copy is hashed, which costs less
    // than moving the bytes through this process; what is checked is what is kept.
    await fs.promises.copyFile(local, dest, fs.constants.COPYFILE_FICLONE | fs.constants.COPYFILE_EXCL);
    fs.chmodSync(dest, 0o644);
    const got = await hashFile(dest);
    if (got.hex !== hex || got.size !== size) {
      fs.rmSync(dest, { force: true });
      throw corrupt(
        remote,
        hex,
        what,
        got.hex !== hex ? `hashes to ${got.hex.slice(0, 12)}` : `is ${got.size} bytes, not ${size}`,
      );
    }
    return;
  }
  const { hex: got, size: received } = await streamVerifying(remote, hex, dest);
  if (got !== hex || received !== size) {
    fs.rmSync(dest, { force: true });
    throw corrupt(
      remote,
      hex,
      what,
      got !== hex ? `hashes to ${got.slice(0, 12)}` : `is ${received} bytes, not ${size}`,
    );
  }
}

/** A folder artifact into the folder `dest`: its manifest first (verified), then every file it lists. */
async function fetchFolder(remote: Remote, pointer: Pointer, dest: string, what: string): Promise<void> {
  const hex = oidHex(pointer.oid);
  const chunks: Buffer[] = [];
  for await (const chunk of await remote.get(hex)) chunks.push(chunk as Buffer);
  const manifest = Buffer.concat(chunks);
  const got = createHash('sha256').update(manifest).digest('hex');
  if (got !== hex) throw corrupt(remote, hex, `${what} (its manifest)`, `hashes to ${got.slice(0, 12)}`);
  const entries = parseManifest(manifest, `${pointer.oid} (${what})`);
  fs.mkdirSync(dest);
  const dirs = new Set(entries.map((e) => path.dirname(e.path)).filter((d) => d !== '.'));
  for (const d of [...dirs].sort()) fs.mkdirSync(path.join(dest, d), { recursive: true });
  await runLimited(entries, FOLDER_JOBS, async (e) => {
    const file = path.join(dest, e.path);
    await fetchObject(remote, e.oid, e.size, file, `${what}/${e.path}`);
    if (e.x) fs.chmodSync(file, 0o755);
  });
}

function corrupt(remote: Remote, hex: string, what: string, problem: string): MvgitError {
  return new MvgitError(
    'OBJECT_CORRUPT',
    `object ${hex} for ${what} on remote '${remote.name}' (${remote.url}) is corrupt: its content ${problem}; nothing was written`,
    {
      hint: `ask the owners of that repository to repair it (mvgit fsck --remote -r ${remote.name} --repair, from a clone with a good copy)`,
      data: { oid: `sha256:${hex}`, artifact: what, remote: remote.name },
    },
  );
}
