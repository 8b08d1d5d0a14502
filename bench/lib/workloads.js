// Workloads made by the benchmark: random bytes, so no tool gains from compression or dedup.
// Each is made once per run under the scratch folder and shared by every suite that asks.
import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const CHUNK = 8 << 20;

/** Writes `bytes` random bytes to `file`. */
export function makeRandomFile(file, bytes) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, bytes));
  try {
    let left = bytes;
    while (left > 0) {
      const n = Math.min(left, buf.length);
      randomFillSync(buf, 0, n);
      fs.writeSync(fd, buf, 0, n);
      left -= n;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The relative path of file `i` in a folder workload: flat, or spread over `dirs` subfolders. */
export function folderFileName(i, dirs = 0) {
  const name = `f${String(i).padStart(6, '0')}.bin`;
  return dirs > 0 ? path.join(`d${String(i % dirs).padStart(3, '0')}`, name) : name;
}

/** Makes `dir` with `count` files of `bytes` random bytes each (flat unless `dirs` > 0). */
export function makeRandomFolder(dir, count, bytes, dirs = 0) {
  fs.mkdirSync(dir, { recursive: true });
  for (let d = 0; d < dirs; d++) fs.mkdirSync(path.join(dir, `d${String(d).padStart(3, '0')}`), { recursive: true });
  const batch = Math.max(1, Math.floor(CHUNK / bytes));
  const buf = Buffer.allocUnsafe(batch * bytes);
  for (let i = 0; i < count; i += batch) {
    const n = Math.min(batch, count - i);
    randomFillSync(buf, 0, n * bytes);
    for (let j = 0; j < n; j++)
      fs.writeFileSync(path.join(dir, folderFileName(i + j, dirs)), buf.subarray(j * bytes, (j + 1) * bytes));
  }
}

/** Overwrites `count` files of a folder workload with new random bytes (for "N files changed" steps). */
export function changeFolderFiles(dir, count, bytes, dirs = 0, stride = 1) {
  const buf = Buffer.allocUnsafe(bytes);
  for (let k = 0; k < count; k++) {
    randomFillSync(buf);
    fs.writeFileSync(path.join(dir, folderFileName(k * stride, dirs)), buf);
  }
}

function human(bytes) {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let u = 0;
  let v = bytes;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}

/**
 * The run's workloads, made lazily in `root` (a folder of the scratch dir) and cached:
 *   bigFile()  one file of sizes.bigFileBytes
 *   folder()   a flat folder of sizes.folderFiles files of sizes.folderFileBytes
 * Each returns { path, label, bytes, files, seconds (time to make it) }.
 */
export class Workloads {
  constructor(root, sizes, log) {
    this.root = root;
    this.sizes = sizes;
    this.log = log;
    this.made = new Map();
  }

  #once(key, make) {
    if (!this.made.has(key)) {
      const t0 = Date.now();
      const w = make();
      w.seconds = (Date.now() - t0) / 1000;
      this.log(`made workload ${w.label} in ${w.seconds.toFixed(1)} s`);
      this.made.set(key, w);
    }
    return this.made.get(key);
  }

  bigFile() {
    return this.#once('bigFile', () => {
      const p = path.join(this.root, 'big.bin');
      makeRandomFile(p, this.sizes.bigFileBytes);
      return { path: p, label: `file ${human(this.sizes.bigFileBytes)}`, bytes: this.sizes.bigFileBytes, files: 1 };
    });
  }

  folder() {
    return this.#once('folder', () => {
      const { folderFiles: n, folderFileBytes: b } = this.sizes;
      const p = path.join(this.root, 'ds');
      makeRandomFolder(p, n, b);
      return { path: p, label: `${n.toLocaleString('en-US')} x ${human(b)}`, bytes: n * b, files: n };
    });
  }

  describe() {
    return Object.fromEntries(
      [...this.made].map(([k, w]) => [k, { label: w.label, bytes: w.bytes, files: w.files, secondsToMake: w.seconds }]),
    );
  }
}
