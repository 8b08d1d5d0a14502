/**
 * The registry's tags: GTO's grammar (gto/constants.py `tag_re`, gto/tag.py), so a repo that
 * mvgit wrote reads the same in `gto show`, and one that GTO wrote reads the same here.
 *
 *   NAME@vX.Y.Z      register a version        NAME@vX.Y.Z!      deregister it
 *   NAME@deprecated  deprecate the artifact    NAME#STAGE#N      assign a stage (N counts up)
 *   NAME#STAGE!#N    unassign a stage          (any of them may end in #N)
 *
 * Every tag is read with one `git for-each-ref`: GTO asks git per tag and takes seconds at a
 * thousand tags (iterative/gto#156).
 */
import { catFile } from '../../adapters/git/cat-file.js';
import { git, type GitDir } from '../../adapters/git/run.js';
import { SEMVER_SOURCE } from './semver.js';

export type RegistryAction = 'register' | 'deregister' | 'deprecate' | 'assign' | 'unassign';

/** What a tag's name says. */
export interface RegistryTagName {
  /** The artifact's name (GTO's `dir:name` form is written `dir=name` in a tag). */
  name: string;
  action: RegistryAction;
  version: string | null;
  stage: string | null;
  counter: number | null;
}

/** One registry event: a tag, with who made it, when and why. */
export interface RegistryEvent extends RegistryTagName {
  tag: string;
  /** The commit the tag points at. */
  commit: string;
  author: string;
  authorEmail: string;
  /** Seconds since the epoch (the tagger date: GTO orders events by it). */
  time: number;
  /** The tag's message, trimmed. */
  message: string;
  /** For an assignment that rolled a stage back: the version it left and the one it went to. */
  rollback: { from: string; to: string } | null;
}

/** A tag that looks like a registry tag but cannot be read as one. */
export interface RegistryWarning {
  tag: string;
  problem: string;
}

const NAME = '[a-zA-Z0-9](?:[a-zA-Z0-9\\-/_]*[a-zA-Z0-9])?';
const FULLNAME_IN_TAG = `(?:[a-zA-Z0-9\\-_./]+=)?${NAME}`;
/** gto/constants.py tag_re, with named groups spelled for JavaScript. */
const TAG_RE = new RegExp(
  `^(?<artifact>${FULLNAME_IN_TAG})(?:(?:#(?<stage>${NAME})|@(?<version>v${SEMVER_SOURCE}))(?<cancel>!?)|@(?:(?<deprecated>deprecated)|(?<created>created)))(?:#(?<counter>[0-9]+))?$`,
);
/** A tag someone meant as a registry tag: a name, then `@v<digit>`, `@deprecated` or `#`. */
const LOOKS_LIKE_RE = /^[a-zA-Z0-9][^@#]*(@v\d|@deprecated|#)/;
const STAGE_NAME_RE = new RegExp(`^${NAME}$`);

/** The marker line a rollback's tag message carries; the stage's history is read back from it. */
export const ROLLBACK_MARKER = 'mvgit-rollback:';

/** Reads a tag's name; null when it is not a registry tag (or is GTO's unused `@created`). */
export function parseRegistryTag(tag: string): RegistryTagName | null {
  const m = TAG_RE.exec(tag);
  if (!m?.groups || m.groups.created) return null;
  const g = m.groups;
  const cancel = g.cancel === '!';
  const action: RegistryAction = g.deprecated
    ? 'deprecate'
    : g.version
      ? cancel
        ? 'deregister'
        : 'register'
      : cancel
        ? 'unassign'
        : 'assign';
  return {
    name: g.artifact.replace('=', ':'),
    action,
    version: g.version ?? null,
    stage: g.stage ?? null,
    counter: g.counter === undefined ? null : Number(g.counter),
  };
}

/** How every tag of the artifact `name` begins (GTO's `dir:name` is written `dir=name` in a tag). */
export function registryTagPrefix(name: string): string {
  return name.replace(':', '=');
}

/** Why a tag that looks like ours is not in the grammar, or null when it is not one of ours at all. */
export function malformedReason(tag: string): string | null {
  if (!LOOKS_LIKE_RE.test(tag) || TAG_RE.test(tag)) return null;
  const at = /@(v[^!#]*)/.exec(tag);
  if (at && !new RegExp(`^v${SEMVER_SOURCE}$`).test(at[1]))
    return `'${at[1]}' is not a semantic version (vMAJOR.MINOR.PATCH, e.g. v1.2.0)`;
  const stage = /#([^#!]*)/.exec(tag);
  if (stage && !tag.includes('@') && !STAGE_NAME_RE.test(stage[1]))
    return `'${stage[1]}' is not a stage name (letters, digits, '-', '_', '/'; starts and ends with a letter or digit)`;
  if (/#[^#]*#(?![0-9]+$)/.test(tag)) return 'the counter after the last # must be a number';
  return "it does not follow GTO's tag grammar (NAME@vX.Y.Z, NAME#STAGE#N, NAME@deprecated)";
}

/** Reads the rollback marker of a tag message: `mvgit-rollback: v0.3.0 -> v0.2.0`. */
export function parseRollbackMarker(message: string): { from: string; to: string } | null {
  const m = /^mvgit-rollback: (\S+) -> (\S+)\s*$/m.exec(message);
  return m ? { from: m[1], to: m[2] } : null;
}

/** The marker line for a rollback from one version to another. */
export function rollbackMarker(from: string, to: string): string {
  return `${ROLLBACK_MARKER} ${from} -> ${to}`;
}

/**
 * Every registry event of the repository, oldest first, and a warning for each tag that looks
 * like one but is not (a malformed name, a lightweight tag, a tag of a tag): those are skipped,
 * never fatal, because tags come from anyone who can push.
 *
 * Two git calls: the names (from packed-refs, nearly free), then one `git cat-file --batch` of
 * only the registry tags' objects. Asking for-each-ref for each tag's tagger and message made
 * git read every tag object of the repo, unrelated ones too (10x the time at 5,000 of them).
 *
 * With `prefix` (see registryTagPrefix), only tags whose name starts with it are read: all the
 * events of one artifact, and the warnings about those tags, for a command about that artifact
 * (`show churn#prod` reads 200 tag objects, not 2,000). With `allWarnings` too, every tag is
 * still read for its warnings (`mvgit history NAME` lists them all); only the events of other
 * artifacts are not made.
 */
export function readRegistryEvents(
  repo: GitDir,
  prefix?: string,
  allWarnings = false,
): { events: RegistryEvent[]; warnings: RegistryWarning[] } {
  const only = allWarnings ? undefined : prefix;
  // The prefix as patterns too, so git lists 200 names, not 7,000: `*` stops at a `/` (a name or
  // a stage may hold one), `*/**` takes the rest. Ref names cannot hold glob characters.
  const patterns = only === undefined ? ['refs/tags'] : [`refs/tags/${only}*`, `refs/tags/${only}*/**`];
  const text = git(repo, ['for-each-ref', '--format=%(objectname) %(refname:strip=2)', ...patterns], {
    allowFail: true,
  });
  const events: RegistryEvent[] = [];
  const warnings: RegistryWarning[] = [];
  const ours: { tag: string; oid: string; parsed: RegistryTagName }[] = [];
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    const tag = line.slice(space + 1);
    // Most tags of a big repo are not ours (release-1.2, build-4711): skip them before any regex.
    if (space < 0 || (!tag.includes('@') && !tag.includes('#'))) continue;
    if (only !== undefined && !tag.startsWith(only)) continue;
    const parsed = parseRegistryTag(tag);
    if (parsed) ours.push({ tag, oid: line.slice(0, space), parsed });
    else {
      const problem = malformedReason(tag);
      if (problem) warnings.push({ tag, problem });
    }
  }
  const objects = catFile(
    repo,
    ours.map((o) => o.oid),
  );
  ours.forEach(({ tag, parsed }, i) => {
    const object = objects[i];
    if (object?.type !== 'tag') {
      warnings.push({ tag, problem: 'a lightweight tag: registry tags are annotated (git tag -a), GTO skips it too' });
      return;
    }
    const t = parseTagObject(object.data.toString('utf8'));
    if (t.type !== 'commit') {
      warnings.push({ tag, problem: `it points at a ${t.type || 'missing object'}, not a commit` });
      return;
    }
    if (prefix !== undefined && !tag.startsWith(prefix)) return;
    events.push({
      ...parsed,
      tag,
      commit: t.object,
      author: t.name,
      authorEmail: t.email,
      time: t.time,
      message: t.message,
      rollback: parsed.action === 'assign' ? parseRollbackMarker(t.message) : null,
    });
  });
  events.sort(compareEvents);
  warnings.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return { events, warnings };
}

const TAGGER_RE = /^(.*?) ?<([^>]*)> (\d+) [+-]\d{4}$/;

/** The fields of an annotated tag object: `object`, `type`, `tag`, `tagger`, a blank line, the message. */
function parseTagObject(text: string): {
  object: string;
  type: string;
  name: string;
  email: string;
  time: number;
  message: string;
} {
  const blank = text.indexOf('\n\n');
  const fields: Record<string, string> = {};
  for (const line of (blank < 0 ? text : text.slice(0, blank)).split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) fields[line.slice(0, space)] = line.slice(space + 1);
  }
  const tagger = TAGGER_RE.exec(fields.tagger ?? '');
  let message = blank < 0 ? '' : text.slice(blank + 2);
  // A signed tag carries its signature after the message: not part of what the tag says.
  const signature = message.indexOf('-----BEGIN PGP SIGNATURE-----');
  if (signature >= 0) message = message.slice(0, signature);
  return {
    object: fields.object ?? '',
    type: fields.type ?? '',
    name: tagger ? tagger[1] : '',
    email: tagger ? tagger[2] : '',
    time: tagger ? Number(tagger[3]) : 0,
    message: message.trim(),
  };
}

const PRIORITY: Record<RegistryAction, number> = { deprecate: 2, register: 3, deregister: 4, assign: 5, unassign: 6 };

/**
 * Event order: tagger date (what GTO sorts by), then the counter, which breaks a tie within one
 * second the way the events were written; then GTO's priority (a registration before the
 * assignment made in the same second).
 */
export function compareEvents(a: RegistryEvent, b: RegistryEvent): number {
  return (
    a.time - b.time ||
    (a.counter ?? 0) - (b.counter ?? 0) ||
    PRIORITY[a.action] - PRIORITY[b.action] ||
    (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0)
  );
}
