#!/usr/bin/env node
// The floor of the scale suite: readdir + lstat of every file under a folder, nothing else, in
// the same runtime as mvgit. No status that looks at every file can take less.
// usage: node bench/lib/bare-walk.js DIR   (prints "files bytes")
import fs from 'node:fs';

let files = 0;
let bytes = 0;
const walk = (dir) => {
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${d.name}`;
    if (d.isDirectory()) walk(p);
    else {
      files++;
      bytes += fs.lstatSync(p).size;
    }
  }
};
walk(process.argv[2]);
process.stdout.write(`${files} ${bytes}\n`);
