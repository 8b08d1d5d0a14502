/** What `mvgit fsck` prints: of the cache, and of a remote. */
import type { FsckReport } from '../../core/store/fsck.js';
import type { RemoteFsckReport } from '../../core/transfer/fsck-remote.js';
import { output } from '../output.js';

export function printCacheReport(report: FsckReport): void {
  const o = output();
  o.out(`checked ${report.checked} object(s)`);
  for (const c of report.corrupt) o.out(`corrupt: ${c.oid} ${c.movedTo ? `(moved to ${c.movedTo})` : c.file}`);
  if (report.tempsRemoved > 0) o.out(`removed ${report.tempsRemoved} temp file(s) left by interrupted runs`);
}

export function printRemoteReport(r: RemoteFsckReport): void {
  const o = output();
  o.out(`checked ${r.checked} object(s) on remote '${r.remote}' (${r.url})`);
  for (const c of r.corrupt) o.out(`corrupt: ${c.path} (${c.oid}): ${c.reason}`);
  for (const m of r.missing) o.out(`missing: ${m.path} (${m.oid})`);
  for (const d of r.unknownDirs)
    o.err(
      `warning: the manifest of ${d.path} (${d.oid.slice(7, 19)}) is neither in the cache nor whole on the remote; its files were not checked`,
    );
  for (const oid of r.repaired) o.out(`repaired: ${oid}`);
  if (r.repaired.length > 0) o.out(`Repaired ${r.repaired.length} object(s) on remote '${r.remote}' from the cache.`);
}
