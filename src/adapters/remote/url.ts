/**
 * Remote URLs and the secret checks on remote settings. Small and free of heavy imports:
 * config.ts uses it on every `mvgit config` write.
 */
import path from 'node:path';
import { MvgitError } from '../../base/errors.js';

/** Where a remote's objects live, parsed from its URL. */
export type RemoteLocation = { type: 'local'; path: string } | { type: 's3'; bucket: string; prefix: string };

const SUPPORTED = 'a folder (/path or file:///path) or S3 (s3://bucket/prefix)';

/** Setting names that hold credentials; they never belong in the committed config. */
const SECRET_KEY_RE = /secret|passw(or)?d|token|access[-_]?key|credential|session|private[-_]?key/i;

/**
 * URL query (and fragment) keys that carry credentials: signed-URL parameters (AWS, Azure, GCS),
 * tokens, API keys and passwords in their usual spellings. Matched case-insensitively; the short
 * ones (`key`, `sig`, `pass`) only as the whole key, so `monkey` or `passage` pass.
 */
const SECRET_QUERY_KEY_RE =
  /^(sig|key|pass|pwd|passwd|auth)$|[-_.](key|sig|pass|pwd|auth)$|signature|credential|token|secret|passw(or)?d|api[-_]?key|access[-_]?key|private[-_]?key|session|authori[sz]ation|^x-(amz|goog)-/i;

/** The fields a remote may have; anything else in `remotes.NAME` is refused. */
export const REMOTE_FIELDS: readonly string[] = ['url', 'endpoint', 'region', 'profile', 'pathStyle'];

/**
 * Parses a remote URL. A relative folder path is taken from `baseDir` (the repository top),
 * so a committed `../shared-models` means the same place in every clone beside it.
 */
export function parseRemoteUrl(url: string, baseDir: string): RemoteLocation {
  const trimmed = url.trim();
  if (trimmed === '') throw new MvgitError('REMOTE_ERROR', 'the remote URL is empty', { hint: `give ${SUPPORTED}` });
  const secret = urlSecretProblem(trimmed);
  if (secret) throw secretError(secret);
  if (trimmed.startsWith('s3://')) {
    const rest = trimmed.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    if (!/^[a-z0-9][a-z0-9.\-_]{1,254}$/i.test(bucket)) {
      throw new MvgitError('REMOTE_ERROR', `'${bucket}' in ${trimmed} is not a valid bucket name`, {
        hint: 'write it as s3://bucket/optional/prefix',
      });
    }
    const prefix = (slash < 0 ? '' : rest.slice(slash + 1)).replace(/^\/+/, '').replace(/\/+$/, '');
    return { type: 's3', bucket, prefix: prefix === '' ? '' : `${prefix}/` };
  }
  if (trimmed.startsWith('file://')) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      throw new MvgitError('REMOTE_ERROR', `${trimmed} is not a valid file URL`, {
        hint: 'write it as file:///absolute/path',
      });
    }
    if (parsed.host !== '' && parsed.host !== 'localhost') {
      throw new MvgitError('REMOTE_ERROR', `${trimmed} names another host (${parsed.host})`, {
        hint: 'mount the share and use its local path, e.g. file:///mnt/models',
      });
    }
    return { type: 'local', path: decodeURIComponent(parsed.pathname) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) || /^[^/]+@[^/]+:/.test(trimmed)) {
    throw new MvgitError('REMOTE_ERROR', `unsupported remote URL: ${trimmed}`, {
      hint: `mvgit stores objects in ${SUPPORTED}`,
    });
  }
  return { type: 'local', path: path.resolve(baseDir, trimmed) };
}

/** Why a URL carries a secret (user:password@, a key in the query), or undefined. */
export function urlSecretProblem(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url);
  if (m?.[1].includes('@')) return `the URL ${redactUrl(url)} carries credentials`;
  const q = url.search(/[?#]/);
  if (q >= 0) {
    for (const part of url.slice(q + 1).split(/[?#&;]/)) {
      const key = decodeQueryKey(part.split('=')[0]);
      if (SECRET_QUERY_KEY_RE.test(key)) return `the URL ${redactUrl(url)} carries a credential (${key})`;
    }
  }
  return undefined;
}

function decodeQueryKey(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).trim();
  } catch {
    return raw; // a malformed escape: judge the key as written
  }
}

/** Why a remote setting (`remotes.NAME.FIELD`) holds a secret, or undefined. */
export function settingSecretProblem(field: string, value: unknown): string | undefined {
  if (isCredentialField(field)) return `'${field}' is a credential`;
  if (field === 'url' || field === 'endpoint') return typeof value === 'string' ? urlSecretProblem(value) : undefined;
  return undefined;
}

const CREDENTIAL_HINT =
  'give credentials through the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or an AWS profile (~/.aws/credentials), and name the profile for this clone only with: mvgit config --local remotes.NAME.profile PROFILE';

/**
 * The error for a secret on its way into the committed config. With `where`, the secret is
 * already in a committed file: the message names the file and the key, and the hint says to
 * take it out (and rotate it, since git history keeps it).
 */
export function secretError(problem: string, where?: { file: string; key: string }): MvgitError {
  if (where) {
    return new MvgitError(
      'REMOTE_SECRET',
      `${where.file}: ${where.key}: ${problem}; secrets never go in ${where.file}, which is committed`,
      {
        hint: `remove it from ${where.file} (and revoke it if it was ever committed or pushed), then ${CREDENTIAL_HINT}`,
        data: { file: where.file, key: where.key },
      },
    );
  }
  return new MvgitError('REMOTE_SECRET', `${problem}; secrets never go in .mvgit/config.yaml, which is committed`, {
    hint: CREDENTIAL_HINT,
  });
}

/** True when a remote field's name says it holds a credential (`secretAccessKey`, `password`). */
export function isCredentialField(field: string): boolean {
  return SECRET_KEY_RE.test(field) || SECRET_QUERY_KEY_RE.test(field);
}

/** The URL without any user:password part, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@').replace(/([?#]).*$/, '$1***');
}
