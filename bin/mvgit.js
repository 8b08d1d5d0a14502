#!/usr/bin/env node
// Launcher only: the CLI lives in dist/cli (built by `npm run build`, run by `npm ci`).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
