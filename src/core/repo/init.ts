import fs from 'node:fs';
import path from 'node:path';
import { committedConfigFile } from './config.js';
import { findRepo, type Repo } from './repo.js';
import { writeFileAtomic } from '../../base/fs/atomic-write.js';

export interface InitResult {
  repo: Repo;
  /** False when the repo already had `.mvgit/config.yaml` (a clone): only local setup was done. */
  createdConfig: boolean;
}

const DEFAULT_CONFIG = `# mvgit settings, committed with the code. Secrets never go here: use the environment,
# an AWS profile, or .git/mvgit/config.yaml ('mvgit config --local').
track: []
cache:
  link: auto   # auto | reflink | copy | hardlink | symlink
guard:
  maxFileSize: 10MB   # pre-commit refuses staged files larger than this that no rule tracks; 0 = off
`;

/**
 * `mvgit init`: writes `.mvgit/config.yaml` (unless the repo has one already, as a fresh clone
 * does) and creates the cache folders in the git dir.
 */
export function init(cwd?: string): InitResult {
  const repo = findRepo(cwd);
  const file = committedConfigFile(repo);
  let createdConfig = false;
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, DEFAULT_CONFIG);
    createdConfig = true;
  }
  fs.mkdirSync(path.join(repo.dataDir, 'cache', 'objects', 'sha256'), { recursive: true });
  fs.mkdirSync(path.join(repo.dataDir, 'state'), { recursive: true });
  return { repo, createdConfig };
}
