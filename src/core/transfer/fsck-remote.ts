/**
 * `mvgit fsck --remote`: re-hashes the remote's copies of the objects a scope of pointers needs,
 * and with `repair` re-uploads good copies from the cache. Push cannot do this: it checks
 * presence only (existence on a folder, size on S3), so a copy with a flipped bit looks present.
 * Every object is hashed as it streams, so memory stays flat whatever its size.
 */
import type { OnProgress, Workspace } from '../repo/workspace.js';
import { downloadObject } from './download.js';
import { isMvgitError, MvgitError } from '../../base/errors.js';
import { hashFile, hashStream } from '../../base/hash.js';
import { parseManifest } from '../pointer/manifest.js';
import { oidHex } from '../pointer/pointer.js';
import { ObjectTask, runQueue, type QueueTask } from './queue.js';
import { openRemote } from '../repo/remotes.js';
import type { Remote } from '../../adapters/remote/remote.js';
import { collectPointers, type Scope } from '../history/scope.js';

export interface RemoteFsckOptions {
  /** A remote's name or URL; the default remote when absent. */
  remote?: string;
  /** Objects checked at once (default from the core count). */
  jobs?: number;
  /** Tries per object when the remote fails to answer (default 5). */
  attempts?: number;
  /** Re-upload good cache copies of the bad objects. */
  repair?: boolean;
  onProgress?: OnProgress;
}

/** An object whose remote copy is bad. */
export interface RemoteFault {
  oid: string;
  /** The artifact, and the file inside a directory artifact. */
  path: string;
  reason: string;
}

export interface RemoteFsckReport {
  remote: string;
  url: string;
  /** Artifacts (pointer versions) in the scope. */
  artifacts: number;
  /** Objects looked at on the remote. */
  checked: number;
  /** Bytes re-hashed. */
  bytes: number;
  /** Copies whose bytes do not hash to their name. */
  corrupt: RemoteFault[];
  /** Objects the remote lacks. */
  missing: RemoteFault[];
  /** Objects the remote could not be asked about (it stopped answering), so unchecked. */
  unchecked: (RemoteFault & { code: string })[];
  /** With `repair`: the oids re-uploaded from the cache and verified on the remote. */
  repaired: string[];
  /** With `repair`: bad objects no good copy could replace, and why. */
  unrepaired: RemoteFault[];
  /** Directories whose manifest neither the remote nor the cache has whole: their files were not checked. */
  unknownDirs: { path: string; oid: string }[];
  /** Pointers in history that could not be read. */
  skippedPointers: { pointerPath: string; reason: string }[];
}

interface ObjectRef {
  hex: string;
  path: string;
  /** Set for a directory's manifest: its files once read. */
  files?: ObjectRef[];
}

type Verdict = 'ok' | 'corrupt' | 'missing';

/**
 * Checks (and with `repair`, mends) the remote copies of the scope's objects.
 * Default scope for the CLI: `{ head: true, workTree: true }`, what `mvgit push` uploads.
 * @example const report = await fsckRemote(ws, { allCommits: true }, { remote: 'origin', repair: true });
 */
export async function fsckRemote(
  ws: Workspace,
  scope: Scope,
  options: RemoteFsckOptions = {},
): Promise<RemoteFsckReport> {
  const { pointers, skipped } = await collectPointers(ws.repo, scope);
  const remote = await openRemote(ws.repo, ws.config, options.remote);
  try {
    const report: RemoteFsckReport = {
      remote: remote.name,
      url: remote.url,
      artifacts: pointers.length,
      checked: 0,
      bytes: 0,
      corrupt: [],
      missing: [],
      unchecked: [],
      repaired: [],
      unrepaired: [],
      unknownDirs: [],
      skippedPointers: skipped.map((s) => ({ pointerPath: s.pointerPath, reason: s.reason })),
    };
    const top = new Map<string, ObjectRef>();
    for (const p of pointers) {
      const hex = oidHex(p.pointer.oid);
      if (!top.has(hex)) top.set(hex, { hex, path: p.path, ...(p.pointer.files !== undefined ? { files: [] } : {}) });
    }
    const checker = new RemoteChecker(ws, remote, report, options);
    // Manifests (and file artifacts) first: a manifest says which files a directory needs.
    const verdicts = await checker.check([...top.values()]);
    const files = new Map<string, ObjectRef>();
    for (const dir of top.values()) {
      if (!dir.files) continue;
      const entries = await manifestFiles(ws, remote, dir, verdicts.get(dir.hex));
      if (!entries) {
        report.unknownDirs.push({ path: dir.path, oid: `sha256:${dir.hex}` });
        continue;
      }
      dir.files = entries;
      for (const e of entries) if (!top.has(e.hex) && !files.has(e.hex)) files.set(e.hex, e);
    }
    for (const [hex, v] of await checker.check([...files.values()])) verdicts.set(hex, v);
    if (options.repair) await checker.repair(verdicts, [...top.values(), ...files.values()]);
    return report;
  } finally {
    remote.close();
  }
}

/**
 * A directory's files, from the cache's manifest, else from the remote's when that one is good
 * (it is brought into the cache, verified, as a fetch would). Undefined when neither has it whole.
 */
async function manifestFiles(
  ws: Workspace,
  remote: Remote,
  dir: ObjectRef,
  verdict: Verdict | undefined,
): Promise<ObjectRef[] | undefined> {
  try {
    if (!ws.store.has(dir.hex) && verdict === 'ok')
      await downloadObject(ws.store, remote, dir.hex, dir.path, undefined);
    const entries = parseManifest(ws.store.readVerified(dir.hex, dir.path), `${dir.path} (${dir.hex.slice(0, 12)})`);
    return entries.map((e) => ({ hex: e.oid, path: `${dir.path}/${e.path}` }));
  } catch {
    return undefined;
  }
}

/** The queue work of one fsck: hashing remote copies, then replacing the bad ones. */
class RemoteChecker {
  constructor(
    private readonly ws: Workspace,
    private readonly remote: Remote,
    private readonly report: RemoteFsckReport,
    private readonly options: RemoteFsckOptions,
  ) {}

  /** Re-hashes the remote copy of each object; records the bad ones in the report. */
  async check(objects: ObjectRef[]): Promise<Map<string, Verdict>> {
    const verdicts = new Map<string, Verdict>();
    let done = 0;
    const total = objects.length;
    const progress = (path?: string): void =>
      this.options.onProgress?.({ phase: 'verify', done, total, bytes: this.report.bytes, path });
    // One job shared by every task: a queue of a million objects holds no closure per object.
    const verify = async (o: ObjectTask, onBytes: (n: number) => void): Promise<void> => {
      const got = await hashOnRemote(this.remote, o.hex, onBytes);
      if (got === 'missing') {
        verdicts.set(o.hex, 'missing');
        this.report.missing.push({
          oid: `sha256:${o.hex}`,
          path: o.path,
          reason: `not on remote '${this.remote.name}'`,
        });
      } else if (got.hex !== o.hex) {
        verdicts.set(o.hex, 'corrupt');
        this.report.corrupt.push({
          oid: `sha256:${o.hex}`,
          path: o.path,
          reason: `its ${got.size} bytes on remote '${this.remote.name}' hash to ${got.hex.slice(0, 12)}`,
        });
      } else verdicts.set(o.hex, 'ok');
    };
    const tasks = objects.map((o) => new ObjectTask({ hex: o.hex, size: 0, path: o.path }, verify));
    const res = await runQueue(tasks, {
      concurrency: this.options.jobs,
      attempts: this.options.attempts,
      onBytes: (n) => {
        this.report.bytes += n;
        progress();
      },
      onTaskDone: (t) => {
        done++;
        progress(t.path);
      },
    });
    this.report.checked += res.done.length;
    for (const f of res.failed) {
      const code = isMvgitError(f.error) ? f.error.code : 'REMOTE_ERROR';
      const reason = f.attempted
        ? ((f.error as Error)?.message ?? String(f.error))
        : 'not tried after the failure above';
      this.report.unchecked.push({ oid: `sha256:${f.task.hex}`, path: f.task.path, code, reason });
    }
    return verdicts;
  }

  /**
   * Uploads a good cache copy over every bad remote copy and re-hashes what landed. A missing
   * manifest goes up only once all its files are good on the remote, so a manifest there still
   * means its files are there too (push relies on that).
   */
  async repair(verdicts: Map<string, Verdict>, objects: ObjectRef[]): Promise<void> {
    const bad = objects.filter((o) => verdicts.has(o.hex) && verdicts.get(o.hex) !== 'ok');
    const fixed = new Set<string>();
    const filesFirst = await this.replace(bad.filter((o) => !o.files));
    for (const h of filesFirst) fixed.add(h);
    const manifests: ObjectRef[] = [];
    for (const m of bad.filter((o) => o.files)) {
      const broken = m.files!.filter((f) => verdicts.get(f.hex) !== 'ok' && !fixed.has(f.hex)).length;
      if (broken > 0 && verdicts.get(m.hex) === 'missing')
        this.unrepaired(
          m,
          `not uploaded: ${broken} of its files ${broken === 1 ? 'is' : 'are'} still bad on the remote`,
        );
      else manifests.push(m);
    }
    await this.replace(manifests);
  }

  /** Replaces each object's remote copy from the cache; returns the hexes now good there. */
  private async replace(objects: ObjectRef[]): Promise<Set<string>> {
    const fixed = new Set<string>();
    const tasks: QueueTask[] = objects.map((o) => ({
      hex: o.hex,
      size: 0,
      path: o.path,
      run: async () => {
        const file = this.ws.store.path(o.hex);
        if (!this.ws.store.has(o.hex)) return this.unrepaired(o, 'not in the local cache either');
        const local = await hashFile(file);
        if (local.hex !== o.hex) return this.unrepaired(o, `the local cache copy is corrupt too (${file})`);
        await this.remote.put(o.hex, file, local.size);
        const landed = await hashOnRemote(this.remote, o.hex);
        // The cache copy may have changed between its check and the upload: never claim a repair unseen.
        if (landed === 'missing' || landed.hex !== o.hex)
          return this.unrepaired(o, 'the uploaded copy does not verify on the remote');
        fixed.add(o.hex);
        this.report.repaired.push(`sha256:${o.hex}`);
      },
    }));
    const res = await runQueue(tasks, { concurrency: this.options.jobs, attempts: this.options.attempts });
    for (const f of res.failed)
      this.unrepaired(
        f.task,
        f.attempted
          ? `upload failed: ${(f.error as Error)?.message ?? String(f.error)}`
          : 'not tried after the failure above',
      );
    return fixed;
  }

  private unrepaired(o: { hex: string; path: string }, reason: string): void {
    this.report.unrepaired.push({ oid: `sha256:${o.hex}`, path: o.path, reason });
  }
}

/**
 * The sha256 and length of the remote's copy, hashed as it streams (one chunk in memory at a
 * time), or 'missing'.
 */
async function hashOnRemote(
  remote: Remote,
  hex: string,
  onBytes?: (n: number) => void,
): Promise<{ hex: string; size: number } | 'missing'> {
  let stream: Awaited<ReturnType<Remote['get']>>;
  try {
    stream = await remote.get(hex);
  } catch (err) {
    if (isMvgitError(err, 'OBJECT_MISSING')) return 'missing';
    throw err;
  }
  return hashStream(stream as AsyncIterable<Buffer>, onBytes);
}

/**
 * The error for a remote fsck that found bad objects (without `repair`), could not repair some
 * (with it), or could not reach some: names each (up to ten) and what to do. `command` is the
 * fsck command that was run, without --repair.
 */
export function remoteFsckError(report: RemoteFsckReport, command: string, repair: boolean): MvgitError | undefined {
  const where = `remote '${report.remote}' (${report.url})`;
  const data = { report };
  const bad = [...report.corrupt, ...report.missing];
  const code = report.corrupt.length > 0 ? 'OBJECT_CORRUPT' : 'OBJECT_MISSING';
  if (repair && report.unrepaired.length > 0) {
    const n = report.unrepaired.length;
    return new MvgitError(
      code,
      `${n} bad object${n === 1 ? '' : 's'} on ${where} could not be repaired:\n${listFaults(report.unrepaired)}`,
      {
        hint: `run '${command} --repair' from a clone whose cache has good copies (a corrupt cache copy is moved aside by 'mvgit fsck --repair')`,
        data,
      },
    );
  }
  if (!repair && bad.length > 0) {
    const what = [
      report.corrupt.length > 0 ? `${report.corrupt.length} corrupt` : '',
      report.missing.length > 0 ? `${report.missing.length} missing` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    return new MvgitError(code, `${what} object${bad.length === 1 ? '' : 's'} on ${where}:\n${listFaults(bad)}`, {
      hint: `run '${command} --repair' to upload good copies from the cache`,
      data,
    });
  }
  if (report.unchecked.length > 0) {
    const n = report.unchecked.length;
    return new MvgitError(
      'TRANSFER_FAILED',
      `${n} object${n === 1 ? '' : 's'} on ${where} could not be checked:\n${listFaults(report.unchecked)}`,
      {
        hint: `check the network and the remote settings (mvgit remote list), then run '${command}' again`,
        data,
      },
    );
  }
  return undefined;
}

function listFaults(faults: RemoteFault[]): string {
  const shown = faults.slice(0, 10).map((f) => `  ${f.path} (${f.oid.slice(7, 19)}): ${f.reason}`);
  if (faults.length > shown.length) shown.push(`  ... and ${faults.length - shown.length} more (--json lists all)`);
  return shown.join('\n');
}
