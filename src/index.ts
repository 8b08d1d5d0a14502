/**
 * mvgit's library API: everything the CLI does, usable from Node without it. One options
 * object per operation (with `cwd`, the repository to work in, and `onProgress`); each call
 * reads the repository's settings afresh. Failures are MvgitErrors with a stable `code` and a
 * `hint`; the library never prints and never exits.
 *
 * @example
 * import { init, add, status, push, checkout } from 'mvgit';
 * await init({ cwd: repo, remote: '/mnt/team/store' });
 * await add({ cwd: repo, paths: ['models/churn.pkl'], kind: 'model' });
 */
export { MvgitError, isMvgitError, type ErrorCode, type ErrorOptions } from './base/errors.js';
export type { OnProgress, ProgressEvent } from './base/progress.js';
export type { CommonOptions } from './api/session.js';
export {
  init,
  installHooks,
  uninstallHooks,
  addRemote,
  removeRemote,
  listRemotes,
  type InitOptions,
  type InitApiResult,
  type AddRemoteOptions,
} from './api/setup.js';
export {
  add,
  status,
  checkout,
  checkoutRev,
  track,
  untrack,
  type AddOptions,
  type StatusOptions,
  type CheckoutOptions,
  type CheckoutRevOptions,
  type TrackOptions,
} from './api/work-tree.js';
export {
  push,
  fetch,
  pull,
  gc,
  fsck,
  fsckRemoteObjects,
  type TransferOptions,
  type GcOptions,
} from './api/transfer.js';
export { log, commit, type LogOptions, type CommitOptions } from './api/history.js';
export { diff, show, report, type DiffOptions, type ShowOptions, type ReportOptions } from './api/review.js';
export { resolve, get, type ResolveOptions, type GetOptions, type GetResolution, type GetResult } from './api/get.js';
export {
  version,
  promote,
  rollback,
  unassign,
  deregister,
  deprecate,
  ls,
  history,
  artifactVersions,
  checkRef,
  resolveRegistryRef,
  type VersionOptions,
  type StageOptions,
  type ArtifactOptions,
} from './api/registry.js';
export type { ResolvedArtifactRef } from './core/history/registry-ref.js';
export type { VersionResult } from './core/registry/version.js';
export type { StageResult } from './core/registry/stages.js';
export type { RegistryWrite } from './core/registry/tags.js';
export type { ArtifactSummary, HistoryEntry, ArtifactRegistryView, TagMeaning } from './core/registry/listing.js';
export type { RegistryWarning } from './core/history/registry-tags.js';

// Result and data types.
export type { InstallResult, UninstallResult } from './core/hooks/install.js';
export type { RemoteInfo, RemoteSpec } from './core/repo/remote-settings.js';
export type { Config, LinkMode, TrackingRule, RemoteConfig } from './core/repo/config.js';
export type { Pointer, PointerMeta, ArtifactKind } from './core/pointer/pointer.js';
export type { ManifestEntry } from './core/pointer/manifest.js';
export type { AddedArtifact } from './core/workspace/add.js';
export type { ArtifactStatus, HeldContent } from './core/workspace/status.js';
export type { RestoreOutcome } from './core/workspace/checkout.js';
export type { CheckoutRevResult, RevRestoreOutcome } from './core/workspace/checkout-rev.js';
export type { TransferReport, TransferFailure } from './core/transfer/transfer.js';
export type { PullResult } from './core/workspace/pull.js';
export type { GcReport } from './core/transfer/gc.js';
export type { ArtifactVersion } from './core/history/log.js';
export type { CommitResult } from './core/hooks/commit.js';
export type { DiffResult, DiffSide } from './core/review/revisions.js';
export type { ArtifactDiff, ParamChange, InputChange, VersionSummary } from './core/review/diff.js';
export type { MetricChange, MetricRule, Direction } from './core/review/metrics.js';
export type { FolderChanges, FolderCounts } from './core/review/folder-changes.js';
export type { ArtifactDetails, RecordingCommit } from './core/review/show.js';
export type {
  Report,
  ReportSection,
  ReportSummary,
  MetricSeries,
  MetricPoint,
  BiggestChange,
} from './core/review/report.js';
export type { FsckReport } from './core/store/fsck.js';
export type { RemoteFsckReport } from './core/transfer/fsck-remote.js';
export type { Remote, RemoteObject, TransferHooks } from './adapters/remote/remote.js';

// The formats, for tools that read pointers and manifests themselves.
export { parsePointer, serializePointer } from './core/pointer/pointer.js';
export { parseManifest, serializeManifest, buildManifest } from './core/pointer/manifest.js';
export { hashFile } from './base/hash.js';
