import type { Workspace } from '../repo/workspace.js';
import { parseManifest, type ManifestEntry } from '../pointer/manifest.js';
import { oidHex, type Pointer } from '../pointer/pointer.js';

/** The files a pointer says an artifact holds: one entry at '' for a file, the manifest for a folder. */
export function targetFiles(ws: Workspace, pointer: Pointer, artifactPath: string): Map<string, ManifestEntry> {
  const hex = oidHex(pointer.oid);
  if (pointer.files === undefined) return new Map([['', { path: '', oid: hex, size: pointer.size }]]);
  const entries = parseManifest(ws.store.readVerified(hex, artifactPath), `${artifactPath} (${hex.slice(0, 12)})`);
  return new Map(entries.map((e) => [e.path, e]));
}
