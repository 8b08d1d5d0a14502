/**
 * What push (push.ts) and fetch (fetch.ts) share: their options and reports, and how a scope's
 * pointers become objects to move between the cache and a remote. A directory's files travel
 * before its manifest, so a manifest on the remote means its files are there too, and checking
 * one manifest answers for thousands of files. What the other side already has is skipped, so
 * a run that was interrupted resumes.
 */
import fs from 'node:fs';
import type { OnProgress, Workspace } from '../repo/workspace.js';
import { repairHint } from './download.js';
import { MvgitError } from '../../base/errors.js';
import { parseManifest, type ManifestEntry } from '../pointer/manifest.js';
import { oidHex } from '../pointer/pointer.js';
import type { QueueFailure, QueueTask } from './queue.js';
import type { Remote } from '../../adapters/remote/remote.js';
import type { ScopedPointer } from '../history/scope.js';

export interface TransferOptions {
  /** A remote's name or URL; the default remote when absent. */
  remote?: string;
  /** Transfers at once (default from the core count). */
  jobs?: number;
  /** Tries per object (default 5). */
  attempts?: number;
  /** Only say what would move. */
  dryRun?: boolean;
  onProgress?: OnProgress;
}

/** One object that could not be moved. */
export interface TransferFailure {
  oid: string;
  /** The artifact, and the file inside a directory artifact. */
  path: string;
  code: string;
  reason: string;
  /** False when it was never tried, because the remote had stopped answering or refused us. */
  tried?: false;
  /** What to do about it, when the error says. */
  hint?: string;
}

/** What a push or fetch did, for `--json` and the one-line summary. */
export interface TransferReport {
  direction: 'push' | 'fetch';
  remote: string;
  url: string;
  /** Artifacts (pointer versions) in the scope. */
  artifacts: number;
  /** Objects moved. */
  transferred: number;
  /** Bytes moved. */
  bytes: number;
  /** Objects the other side already had (a directory whose manifest was there counts once). */
  present: number;
  failed: TransferFailure[];
  /** Pointers in history that could not be read, so their objects were left out. */
  skippedPointers: { pointerPath: string; reason: string }[];
  dryRun: boolean;
}

export interface ObjectRef {
  hex: string;
  size: number;
  path: string;
}

/** A directory artifact: its manifest and, once read, its files. */
export interface DirRef {
  manifest: ObjectRef;
  entries?: ObjectRef[];
}

export function splitPointers(pointers: ScopedPointer[]): { files: Map<string, ObjectRef>; dirs: Map<string, DirRef> } {
  const files = new Map<string, ObjectRef>();
  const dirs = new Map<string, DirRef>();
  for (const p of pointers) {
    const hex = oidHex(p.pointer.oid);
    if (p.pointer.files === undefined) {
      if (!files.has(hex)) files.set(hex, { hex, size: p.pointer.size, path: p.path });
    } else if (!dirs.has(hex)) {
      // A manifest's size is not in the pointer; -1 until it is read.
      dirs.set(hex, { manifest: { hex, size: -1, path: p.path } });
    }
  }
  return { files, dirs };
}

export function entriesOf(dir: DirRef, entries: ManifestEntry[]): ObjectRef[] {
  return entries.map((e) => ({ hex: e.oid, size: e.size, path: `${dir.manifest.path}/${e.path}` }));
}

export function failureOf(f: QueueFailure): TransferFailure {
  const err = f.error as { code?: unknown; message?: string };
  const reason = err instanceof MvgitError ? err.message : (err?.message ?? String(f.error));
  const code = err instanceof MvgitError ? err.code : 'REMOTE_ERROR';
  if (!f.attempted)
    return {
      oid: `sha256:${f.task.hex}`,
      path: f.task.path,
      code,
      reason: 'not tried after the failure above',
      tried: false,
    };
  return {
    oid: `sha256:${f.task.hex}`,
    path: f.task.path,
    code,
    reason,
    ...(err instanceof MvgitError && err.hint ? { hint: err.hint } : {}),
  };
}

export function emptyReport(
  direction: 'push' | 'fetch',
  remote: Pick<Remote, 'name' | 'url'>,
  artifacts: number,
  dryRun: boolean,
): TransferReport {
  return {
    direction,
    remote: remote.name,
    url: remote.url,
    artifacts,
    transferred: 0,
    bytes: 0,
    present: 0,
    failed: [],
    skippedPointers: [],
    dryRun,
  };
}

/** A progress reporter for one phase of a transfer. */
export function tracker(phase: 'upload' | 'download', tasks: QueueTask[], onProgress?: OnProgress) {
  const totalBytes = tasks.reduce((n, t) => n + Math.max(0, t.size), 0);
  let done = 0;
  let bytes = 0;
  const emit = (path?: string): void => onProgress?.({ phase, done, total: tasks.length, bytes, totalBytes, path });
  return {
    start: () => tasks.length > 0 && emit(),
    onBytes: (n: number) => {
      bytes += n;
      emit();
    },
    onTaskDone: (t: QueueTask) => {
      done++;
      emit(t.path);
    },
  };
}

export function fileSize(ws: Workspace, hex: string): number {
  return fs.statSync(ws.store.path(hex), { throwIfNoEntry: false })?.size ?? 0;
}

export function readLocalManifest(ws: Workspace, d: DirRef): ObjectRef[] | undefined {
  if (d.entries) return d.entries;
  try {
    d.entries = entriesOf(
      d,
      parseManifest(
        ws.store.readVerified(d.manifest.hex, d.manifest.path),
        `${d.manifest.path} (${d.manifest.hex.slice(0, 12)})`,
      ),
    );
  } catch {
    // A damaged manifest is fsck's to report; the restore names it too.
    return undefined;
  }
  return d.entries;
}

/** Presence in the cache: one listing of the store beats a stat per object for big folders. */
export function makeInCache(ws: Workspace, dirs: Map<string, DirRef>): (hex: string) => boolean {
  if (dirs.size === 0) return (hex) => ws.store.has(hex);
  let listed: Set<string> | undefined;
  let checks = 0;
  return (hex) => {
    if (listed) return listed.has(hex);
    if (++checks > 1000) {
      listed = ws.store.list();
      return listed.has(hex);
    }
    return ws.store.has(hex);
  };
}

/**
 * The error for a transfer with failures: names each object (up to ten) and how to retry.
 * `retry` is the command to run again.
 */
export function transferError(report: TransferReport, retry: string): MvgitError {
  const n = report.failed.length;
  const verb = report.direction === 'push' ? 'uploaded to' : 'downloaded from';
  const tried = report.failed.filter((f) => f.tried !== false);
  const untried = n - tried.length;
  const shown = tried.slice(0, 10);
  const list = shown.map((f) => `  ${f.path} (${f.oid.slice(7, 19)}): ${f.reason}`).join('\n');
  const more = [
    tried.length > shown.length ? `\n  ... and ${tried.length - shown.length} more (--json lists all)` : '',
    untried > 0 ? `\n  ${untried} more not tried after that failure` : '',
  ].join('');
  const missingOnRemote = report.direction === 'fetch' && report.failed.every((f) => f.code === 'OBJECT_MISSING');
  // Trying again fetches the same bad bytes: the remote's copy has to be replaced first.
  const corruptOnRemote =
    report.direction === 'fetch' && tried.length > 0 && tried.every((f) => f.code === 'OBJECT_CORRUPT');
  // A hint the remote gave (credentials, bucket) says more than "try again", when all agree.
  const hints = new Set(tried.map((f) => f.hint));
  const remoteHint = tried.every((f) => f.code === 'REMOTE_ERROR') && hints.size === 1 ? [...hints][0] : undefined;
  return new MvgitError(
    'TRANSFER_FAILED',
    `${n} object${n === 1 ? '' : 's'} could not be ${verb} remote '${report.remote}' (${report.url}):\n${list}${more}`,
    {
      hint: missingOnRemote
        ? `the remote lacks them: push them from a clone that has them (mvgit push), then run '${retry}' again`
        : corruptOnRemote
          ? repairHint(report.remote)
          : remoteHint && !remoteHint.startsWith('check the network')
            ? `${remoteHint}; then run '${retry}' again`
            : `run '${retry}' again: what is already there is skipped`,
      data: { failed: report.failed },
    },
  );
}
