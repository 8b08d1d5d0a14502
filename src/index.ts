/** mvgit's library API: everything the CLI does, usable from Node without it. */
export { MvgitError, isMvgitError, type ErrorCode } from './core/errors.js';
export { findRepo, toRepoPath, type Repo } from './core/repo.js';
export { init, type InitResult } from './core/init.js';
export { openWorkspace, type Workspace, type ProgressEvent } from './core/context.js';
export { loadConfig, getSetting, setSetting, type Config, type LinkMode, type TrackingRule } from './core/config.js';
export { parsePointer, serializePointer, type Pointer, type PointerMeta, type ArtifactKind } from './core/pointer.js';
export { parseManifest, serializeManifest, buildManifest, type ManifestEntry } from './core/manifest.js';
export { ObjectStore } from './core/cache.js';
export { StatCache } from './core/state.js';
export { hashFile } from './core/hash.js';
export { addPaths, addTracked, type AddedArtifact, type AddOptions } from './core/add.js';
export { status, type ArtifactStatus } from './core/status.js';
export { checkout, restoreArtifact, type RestoreOutcome } from './core/checkout.js';
export { fsck, type FsckReport } from './core/fsck.js';
export { addRules, removeRules, matchRules } from './core/track.js';
export { listArtifacts, type TrackedArtifact } from './core/artifacts.js';
