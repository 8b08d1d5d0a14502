/** The committed test inputs in fixtures/ (see fixtures/README.md). */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './repo.js';

export const FIXTURES = path.join(PROJECT_ROOT, 'fixtures');

/** The absolute path of a fixture, by its path under fixtures/. */
export function fixturePath(rel: string): string {
  return path.join(FIXTURES, rel);
}

/** A fixture's bytes. */
export function readFixture(rel: string): Buffer {
  return fs.readFileSync(fixturePath(rel));
}

/** Copies a fixture file or folder to `dest` (made as needed). */
export function copyFixture(rel: string, dest: string): string {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.cpSync(fixturePath(rel), dest, { recursive: true });
  return dest;
}

/** A fixture folder's `cases.json` list. */
export function fixtureCases<T>(folder: string): T[] {
  return (JSON.parse(readFixture(`${folder}/cases.json`).toString('utf8')) as { cases: T[] }).cases;
}
