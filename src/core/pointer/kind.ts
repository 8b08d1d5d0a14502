/** What a pointer describes: the user's words for it, shown by status, log and ls. */
export type ArtifactKind = 'model' | 'dataset' | 'artifact';
export const ARTIFACT_KINDS: readonly ArtifactKind[] = ['model', 'dataset', 'artifact'];

/** Pointer files are named after their artifact: `models/m.pkl` -> `models/m.pkl.mvgit.yaml`. */
export const POINTER_SUFFIX = '.mvgit.yaml';
