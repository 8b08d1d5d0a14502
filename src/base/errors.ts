/**
 * Every failure a user can meet is an MvgitError: a stable `code` that tests and `--json`
 * consumers match on, a message that names the file and the problem, and a hint that says
 * what to do next. The CLI maps codes to exit codes in one place (src/cli/exit.ts).
 */
export type ErrorCode =
  | 'NOT_A_GIT_REPO'
  | 'NOT_INITIALIZED'
  | 'POINTER_INVALID'
  | 'MANIFEST_INVALID'
  | 'CONFIG_INVALID'
  | 'PATH_OUTSIDE_REPO'
  | 'PATH_NOT_FOUND'
  | 'PATH_TRACKED_BY_GIT'
  | 'PATH_IS_POINTER'
  | 'UNSUPPORTED_FILE'
  | 'NOT_TRACKED'
  | 'OBJECT_MISSING'
  | 'OBJECT_CORRUPT'
  | 'STORE_BUSY'
  | 'WOULD_OVERWRITE'
  | 'LINK_FAILED'
  | 'USAGE'
  | 'REV_NOT_FOUND'
  | 'OUTPUT_EXISTS'
  | 'HOOK_CONFLICT'
  | 'REMOTE_NOT_FOUND'
  | 'REMOTE_ERROR'
  | 'REMOTE_SECRET'
  | 'TRANSFER_FAILED'
  | 'GIT_FAILED'
  | 'NOTHING_TO_COMMIT'
  | 'FILE_TOO_LARGE'
  | 'MERGE_CONFLICT'
  | 'CONFIRMATION_REQUIRED'
  | 'UNSAFE_PATH'
  | 'IO_FAILED'
  | 'NESTED_ARTIFACT'
  | 'OLD_VERSION'
  | 'INTERNAL'
  | 'META_INVALID'
  | 'REGRESSION'
  | 'REGISTRY_UNKNOWN_NAME'
  | 'REGISTRY_UNKNOWN_VERSION'
  | 'REGISTRY_UNKNOWN_STAGE'
  | 'REGISTRY_BAD_NAME'
  | 'REGISTRY_BAD_VERSION'
  | 'REGISTRY_NAME_CONFLICT'
  | 'REGISTRY_VERSION_EXISTS'
  | 'REGISTRY_UNCHANGED'
  | 'REGISTRY_ARTIFACT_MISSING'
  | 'REGISTRY_STAGE_NOT_ALLOWED'
  | 'REGISTRY_NO_ROLLBACK'
  | 'REPO_UNREACHABLE';

export interface ErrorOptions {
  hint?: string;
  data?: Record<string, unknown>;
  cause?: unknown;
}

export class MvgitError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly data?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MvgitError';
    this.code = code;
    this.hint = options.hint;
    this.data = options.data;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, hint: this.hint, ...(this.data ? { data: this.data } : {}) };
  }
}

/** True for an error of the given code; accepts anything a `catch` receives. */
export function isMvgitError(err: unknown, code?: ErrorCode): err is MvgitError {
  return err instanceof MvgitError && (code === undefined || err.code === code);
}

/** The errno code of a Node system error (`ENOENT`, `EXDEV`...), or undefined. */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** What an errno means to a user, and what they can do about it. */
const IO_PROBLEMS: Record<string, [problem: string, hint: string]> = {
  ENOSPC: [
    'no space left on the device',
    "free some space ('mvgit gc' removes objects nothing uses) and run the command again",
  ],
  EDQUOT: [
    'the disk quota is used up',
    "free some space ('mvgit gc' removes objects nothing uses) and run the command again",
  ],
  EACCES: ['permission denied', 'check who may write there (ls -ld on the folder), or run as a user who can'],
  EPERM: ['operation not permitted', 'check who may write there (ls -ld on the folder), or run as a user who can'],
  EROFS: ['the file system is read-only', 'remount it read-write, or write somewhere else'],
  ENAMETOOLONG: ['the name is too long for the file system', 'shorten the file or folder name'],
  EMFILE: ['too many open files', 'raise the limit (ulimit -n 4096) and run the command again'],
  ENFILE: ['too many open files on the system', 'close other programs, or raise the limit, and run the command again'],
  EIO: ['the device reported an I/O error', 'check the disk (dmesg) before trusting what is on it'],
  ENOTDIR: ['a file is where a folder should be', 'move the file away and run the command again'],
  EISDIR: ['a folder is where a file should be', 'move the folder away and run the command again'],
  ENOENT: ['it disappeared while mvgit was working', 'run the command again'],
};

/**
 * An ordinary file-system failure as the user's error to fix, naming what failed and where:
 * `could not write data/a.csv: no space left on the device`. Returns undefined for an errno
 * that is not the user's to fix, so a real bug still reads as one.
 */
export function ioError(cause: unknown, action: string, file: string): MvgitError | undefined {
  const code = errnoCode(cause);
  const known = code === undefined ? undefined : IO_PROBLEMS[code];
  if (!known) return undefined;
  return new MvgitError('IO_FAILED', `could not ${action} ${file}: ${known[0]} (${code})`, {
    hint: known[1],
    data: { path: file, errno: code },
    cause,
  });
}

/** What a failed system call was doing, in a user's words. */
const ACTIONS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'make the folder',
  rmdir: 'remove the folder',
  rm: 'remove',
  unlink: 'remove',
  rename: 'rename',
  copyfile: 'copy',
  link: 'link',
  symlink: 'link',
  chmod: 'change the mode of',
  utime: 'set the time of',
  scandir: 'list',
  opendir: 'list',
  lstat: 'look at',
  stat: 'look at',
  fsync: 'sync',
  spawn: 'run',
};

/**
 * Any error as a user should see it: an MvgitError as it is; an ordinary file-system failure
 * (a raw errno error that reached the top) as IO_FAILED naming the path and what failed; only
 * what is neither is a bug in mvgit (INTERNAL).
 */
export function asUserError(err: unknown): MvgitError {
  if (isMvgitError(err)) return err;
  const e = err as NodeJS.ErrnoException & { dest?: string };
  const io = ioError(err, ACTIONS[e?.syscall ?? ''] ?? 'use', e?.path ?? e?.dest ?? 'a file');
  if (io) return io;
  // Node reports a module it could not open (a broken install, or EMFILE while loading) as missing.
  if (e?.code === 'ERR_MODULE_NOT_FOUND') {
    return new MvgitError('IO_FAILED', `could not load a part of mvgit: ${e.message.split('\n')[0]}`, {
      hint: 'reinstall mvgit (npm ci), or raise the open-files limit (ulimit -n 4096), and run the command again',
      cause: err,
    });
  }
  return new MvgitError('INTERNAL', err instanceof Error ? err.message : String(err), {
    hint: 'this is a bug in mvgit; run again with --debug and report the output',
    cause: err,
  });
}
