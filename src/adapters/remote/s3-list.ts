/**
 * Listing an S3 remote and asking which objects it holds: one HEAD per object or a listing,
 * whichever takes fewer requests for the count.
 */
import { HeadObjectCommand, ListObjectsV2Command, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { runLimited } from '../../base/concurrency.js';
import { HEX_RE, OBJECTS_PREFIX, type HasManyOptions, type RemoteObject, groupByFan } from './remote.js';
import type { S3Target } from './s3-client.js';
import { isNotFound } from './s3-errors.js';

/** Up to this many objects, one HEAD each is never more requests than a listing could be. */
const HEAD_LIMIT = 64;
const LIST_PAGE = 1000;
/** Most pages a whole-prefix listing may take in an existence check (256 fan-out listings is the next option). */
const WHOLE_LIST_PAGES = 128;

/** True when the remote holds the object (with `size` bytes, when given). */
export async function headObject(t: S3Target, hex: string, size?: number): Promise<boolean> {
  try {
    const r = await t.client.send(new HeadObjectCommand({ Bucket: t.bucket, Key: t.key(hex) }));
    return size === undefined || r.ContentLength === undefined || r.ContentLength === size;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw t.wrap(err, `checking object ${hex.slice(0, 12)}`);
  }
}

export async function hasManyObjects(t: S3Target, hexes: string[], options: HasManyOptions = {}): Promise<Set<string>> {
  const concurrency = options.concurrency ?? 16;
  const sizes = options.sizes;
  const out = new Set<string>();
  const headAll = (some: string[]): Promise<void> =>
    runLimited(some, concurrency, async (h) => {
      if (await headObject(t, h, sizes?.get(h))) out.add(h);
    });
  const sizeOk = (h: string, listed: Map<string, number>): boolean =>
    listed.has(h) && (sizes?.get(h) === undefined || sizes.get(h) === listed.get(h));
  if (hexes.length <= HEAD_LIMIT) {
    await headAll(hexes);
    return out;
  }
  // A remote of up to 128,000 objects is listed whole in fewer requests than
  // its 256 fan-out folders (a fresh one in one request): try that first, on a budget of a
  // quarter of the HEADs it replaces, so a bigger remote wastes little before the fallback.
  const whole = await listWhole(t, Math.max(1, Math.min(WHOLE_LIST_PAGES, Math.floor(hexes.length / 4))));
  if (whole) {
    for (const h of hexes) if (sizeOk(h, whole)) out.add(h);
    return out;
  }
  // Listing costs one request per 1,000 keys of each fan-out folder we need; HEADs cost one
  // per object. One fan-out folder, which the listing needs anyway, tells the remote's size.
  const byFan = groupByFan(hexes);
  const fans = [...byFan.keys()];
  const first = await listFan(t, fans[0]);
  for (const h of byFan.get(fans[0])!) if (sizeOk(h, first)) out.add(h);
  const rest = fans.slice(1);
  const pagesPerFan = Math.max(1, Math.ceil(first.size / LIST_PAGE));
  const listCost = rest.length * pagesPerFan;
  const headCost = hexes.length - byFan.get(fans[0])!.length;
  if (listCost <= headCost) {
    await runLimited(rest, concurrency, async (fan) => {
      const present = await listFan(t, fan);
      for (const h of byFan.get(fan)!) if (sizeOk(h, present)) out.add(h);
    });
  } else {
    await headAll(rest.flatMap((f) => byFan.get(f)!));
  }
  return out;
}

/** Every object with its size, or undefined when the listing needs more than `maxPages` requests. */
async function listWhole(t: S3Target, maxPages: number): Promise<Map<string, number> | undefined> {
  const out = new Map<string, number>();
  let token: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await listPage(t, t.prefix + OBJECTS_PREFIX, token);
    for (const o of page.objects) out.set(o.hex, o.size);
    if (!page.next) return out;
    token = page.next;
  }
  return undefined;
}

/** The objects in one fan-out folder (`objects/sha256/ab/`), with their sizes. */
async function listFan(t: S3Target, fan: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const o of listObjects(t, `${t.prefix}${OBJECTS_PREFIX}${fan}/`)) out.set(o.hex, o.size);
  return out;
}

/** The objects under `prefix` (the whole remote when absent). */
export async function* listObjects(t: S3Target, prefix = t.prefix + OBJECTS_PREFIX): AsyncIterable<RemoteObject> {
  let token: string | undefined;
  do {
    const page = await listPage(t, prefix, token);
    yield* page.objects;
    token = page.next;
  } while (token);
}

/** One page (up to 1,000 keys) of the objects under `prefix`, and the token of the next. */
async function listPage(
  t: S3Target,
  prefix: string,
  token?: string,
): Promise<{ objects: RemoteObject[]; next?: string }> {
  const base = t.prefix + OBJECTS_PREFIX;
  let page: ListObjectsV2CommandOutput;
  try {
    page = await t.client.send(
      new ListObjectsV2Command({ Bucket: t.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: LIST_PAGE }),
    );
  } catch (err) {
    throw t.wrap(err, 'listing objects');
  }
  const objects: RemoteObject[] = [];
  for (const o of page.Contents ?? []) {
    if (!o.Key?.startsWith(base)) continue;
    const hex = o.Key.slice(base.length).replace('/', '');
    if (HEX_RE.test(hex) && o.Key.length === base.length + 65)
      objects.push({ hex, size: o.Size ?? 0, ...(o.LastModified ? { uploaded: o.LastModified.getTime() } : {}) });
  }
  return { objects, next: page.IsTruncated ? page.NextContinuationToken : undefined };
}
