import fs from 'node:fs';
import path from 'node:path';
import { StatCache, type ArtifactState } from '../../src/core/store/stat-cache.js';
import { cleanup, tempDir } from '../helpers/repo.js';

describe('StatCache', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => cleanup(dir));

  test('an artifact never seen has an empty state', () => {
    expect(new StatCache(dir).load('models/m.pkl')).toEqual({ files: {} });
  });

  test('saves and loads 100,000 entries intact', () => {
    const files: ArtifactState['files'] = {};
    for (let i = 0; i < 100_000; i++) {
      const hex = i.toString(16).padStart(64, '0');
      files[`shard-${i % 100}/img-${i}.png`] = [
        `2049:${1000000 + i}:${4096 + (i % 7)}:${1700000000000 + i}.5:1700000001000.25`,
        hex,
      ];
    }
    const state: ArtifactState = {
      oid: 'f'.repeat(64),
      files,
      pointer: ['2049:5:200:1:1', `sha256:${'e'.repeat(64)}`],
    };
    const cache = new StatCache(path.join(dir, 'state'));
    cache.save('data/images', state);
    const back = new StatCache(path.join(dir, 'state')).load('data/images');
    expect(Object.keys(back.files)).toHaveLength(100_000);
    expect(back).toEqual(state);
    // Saving again (an update) replaces the record, and leaves no temp file behind.
    delete back.files['shard-0/img-0.png'];
    cache.save('data/images', back);
    expect(Object.keys(cache.load('data/images').files)).toHaveLength(99_999);
    expect(fs.readdirSync(path.join(dir, 'state')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('a fingerprint taken within a clock tick of now is not kept, unless mvgit wrote the file', () => {
    const cache = new StatCache(dir);
    const now = Date.now();
    const old = `2049:7:10:${now - 60_000}.5:${now - 60_000}.5`;
    const fresh = `2049:8:10:${now}.5:${now}.5`;
    cache.save('d', {
      oid: 'a'.repeat(64),
      files: { 'old.bin': [old, '1'.repeat(64)], 'fresh.bin': [fresh, '2'.repeat(64)] },
    });
    // The fresh file could be written again within the same tick without its fingerprint
    // changing: it must be hashed again next time, and the record is no longer whole.
    expect(cache.load('d')).toEqual({ files: { 'old.bin': [old, '1'.repeat(64)] } });
    cache.save('d', { oid: 'a'.repeat(64), files: { 'fresh.bin': [fresh, '2'.repeat(64)] } }, new Set(['fresh.bin']));
    expect(cache.load('d')).toEqual({ oid: 'a'.repeat(64), files: { 'fresh.bin': [fresh, '2'.repeat(64)] } });
  });

  test('each artifact has its own record', () => {
    const cache = new StatCache(dir);
    cache.save('a', { files: { '': ['k1', '1'.repeat(64)] } });
    cache.save('b', { files: { '': ['k2', '2'.repeat(64)] } });
    expect(cache.load('a').files[''][0]).toBe('k1');
    expect(cache.load('b').files[''][0]).toBe('k2');
    cache.drop('a');
    expect(cache.load('a')).toEqual({ files: {} });
    expect(cache.load('b').files[''][0]).toBe('k2');
  });

  test('a damaged or foreign record is ignored, not an error', () => {
    const cache = new StatCache(dir);
    cache.save('a', { files: { '': ['k1', '1'.repeat(64)] } });
    const [file] = fs.readdirSync(dir);
    fs.writeFileSync(path.join(dir, file), '{"v":1,"path":"a","state":{"files":{"": ["k1"');
    expect(cache.load('a')).toEqual({ files: {} });
    fs.writeFileSync(path.join(dir, file), JSON.stringify({ v: 99, path: 'a', state: { files: { '': ['k', 'h'] } } }));
    expect(cache.load('a')).toEqual({ files: {} });
    fs.writeFileSync(
      path.join(dir, file),
      JSON.stringify({ v: 1, path: 'not-a', state: { files: { '': ['k', 'h'] } } }),
    );
    expect(cache.load('a')).toEqual({ files: {} });
  });

  test('the record is written in pieces as JSON.stringify would write it whole, so older mvgit reads it', () => {
    const cache = new StatCache(dir);
    const key = (i: number) => `2049:${i}:10:1700000000000.5:1700000000000.5`;
    const files: ArtifactState['files'] = {};
    // Names JSON must escape (a quote, a backslash, a control character, a lone surrogate),
    // and enough entries (>1 MB) that the record is written in several pieces.
    const odd = ['a"b.txt', 'back\\slash', 'tab\there', 'lone\ud800half', 'ünï/cödé.bin', ''];
    for (const [i, rel] of odd.entries()) files[rel] = [key(i), String(i).repeat(64).slice(0, 64)];
    for (let i = 0; i < 20_000; i++) files[`d${i % 10}/f${i}.bin`] = [key(i), i.toString(16).padStart(64, '0')];
    for (const state of [{ files }, { files: {} }, { oid: 'f'.repeat(64), present: 'g1', files }] as ArtifactState[]) {
      cache.save('data/ds', state);
      const [file] = fs.readdirSync(dir);
      expect(fs.readFileSync(path.join(dir, file), 'utf8')).toBe(JSON.stringify({ v: 1, path: 'data/ds', state }));
      expect(cache.load('data/ds')).toEqual(state);
    }
    // A record written whole by an older mvgit (JSON.stringify, keys in another order) loads.
    const [file] = fs.readdirSync(dir);
    const older = {
      v: 1,
      path: 'data/ds',
      state: { files: { 'x.bin': [key(1), 'a'.repeat(64)] }, oid: 'b'.repeat(64) },
    };
    fs.writeFileSync(path.join(dir, file), JSON.stringify(older));
    expect(cache.load('data/ds')).toEqual(older.state);
  });
});
