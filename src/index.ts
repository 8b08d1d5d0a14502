/** mvgit's library API: everything the CLI does, usable from Node without it. */
export { MvgitError, isMvgitError, type ErrorCode } from './base/errors.js';
export { findRepo, toRepoPath, type Repo } from './core/repo/repo.js';
export { init, type InitResult } from './core/repo/init.js';
export { openWorkspace, type Workspace, type ProgressEvent } from './core/repo/workspace.js';
export {
  loadConfig,
  getSetting,
  setSetting,
  type Config,
  type LinkMode,
  type TrackingRule,
} from './core/repo/config.js';
export {
  parsePointer,
  serializePointer,
  type Pointer,
  type PointerMeta,
  type ArtifactKind,
} from './core/pointer/pointer.js';
export { parseManifest, serializeManifest, buildManifest, type ManifestEntry } from './core/pointer/manifest.js';
export { ObjectStore } from './core/store/object-store.js';
export { StatCache } from './core/store/stat-cache.js';
export { hashFile } from './base/hash.js';
export { addPaths, addTracked, type AddedArtifact, type AddOptions } from './core/workspace/add.js';
export { status, type ArtifactStatus } from './core/workspace/status.js';
export { checkout, restoreArtifact, type RestoreOutcome } from './core/workspace/checkout.js';
export {
  checkoutRev,
  type CheckoutRevOptions,
  type CheckoutRevResult,
  type RevRestoreOutcome,
} from './core/workspace/checkout-rev.js';
export { artifactLog, type ArtifactVersion, type LogOptions } from './core/history/log.js';
export { fsck, type FsckReport } from './core/store/fsck.js';
export {
  installHooks,
  uninstallHooks,
  HOOK_NAMES,
  type InstallResult,
  type UninstallResult,
} from './core/hooks/install.js';
export { commit, type CommitResult } from './core/hooks/commit.js';
export { mergePointerFiles, mergePointers, type MergeDriverResult } from './core/history/merge.js';
export {
  push,
  fetch,
  transferError,
  type TransferOptions,
  type TransferReport,
  type TransferFailure,
} from './core/transfer/transfer.js';
export { pull, type PullResult } from './core/workspace/pull.js';
export { gc, gcRemote, type GcOptions, type GcRemoteOptions, type GcReport } from './core/transfer/gc.js';
export { collectPointers, type Scope, type ScopedPointer } from './core/history/scope.js';
export { openRemote, defaultRemoteName, autoFetchEnabled } from './core/repo/remotes.js';
export { addRemote, removeRemote, listRemotes, type RemoteSpec, type RemoteInfo } from './core/repo/remote-settings.js';
export type { Remote, RemoteObject, TransferHooks } from './adapters/remote/remote.js';
export { prePush, type PrePushRequest, type PrePushResult } from './core/hooks/pre-push.js';
export { addRules, removeRules, matchRules } from './core/workspace/track.js';
export { listArtifacts, type TrackedArtifact } from './core/history/work-tree-pointers.js';
