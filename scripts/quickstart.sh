#!/usr/bin/env bash
# The README's quick start, as a script: a scratch repo under a temp dir, a small model and a
# small dataset, tracked, committed, changed, deleted and restored, with status and the cache
# shown at each step. Run it with `npm run quickstart` (which builds first).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
mvgit() { node "$ROOT/bin/mvgit.js" "$@"; }
export NO_COLOR=1
export GIT_AUTHOR_NAME="${GIT_AUTHOR_NAME:-Quick Start}" GIT_AUTHOR_EMAIL="${GIT_AUTHOR_EMAIL:-quickstart@example.com}"
export GIT_COMMITTER_NAME="${GIT_COMMITTER_NAME:-Quick Start}" GIT_COMMITTER_EMAIL="${GIT_COMMITTER_EMAIL:-quickstart@example.com}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mvgit-quickstart.XXXXXX")"
step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
cache() { printf 'cache: %s object(s), %s\n' "$(find .git/mvgit/cache/objects -type f | wc -l | tr -d ' ')" "$(du -sh .git/mvgit/cache | cut -f1)"; }
model() { node -e "process.stdout.write(require('crypto').createHash('sha256').update('$1').digest().toString('hex').repeat(2048))" > models/churn.pkl; }

step "A scratch repository in $WORK/project"
mkdir -p "$WORK/project" && cd "$WORK/project"
run git init -q -b main
run mvgit init --no-hooks

step "A model and a dataset"
mkdir -p models data/train
model v1
for i in $(seq 1 20); do echo "id,label,feature_$i" > "data/train/part-$i.csv"; done
echo '{"accuracy": 0.91, "auc": 0.95}' > metrics.json
ls -l models data/train | head -5

step "Track them: the dataset as a folder, the model with its metrics and lineage"
run mvgit add data/train --kind dataset
run mvgit add models/churn.pkl --kind model --metrics metrics.json --input data/train
run cat models/churn.pkl.mvgit.yaml
run mvgit status
cache

step "Commit the pointers (the binaries stay out of git)"
run git add -A
run git commit -q -m "Train churn model v1"
run git show --stat --format='%h %s' HEAD

step "Retrain: a new model version"
model v2
echo '{"accuracy": 0.93, "auc": 0.96}' > metrics.json
run mvgit status
run mvgit add models/churn.pkl --metrics metrics.json
run git commit -q -am "Retrain churn model v2"
cache

step "Delete the model, then restore it from the cache"
run rm models/churn.pkl
run mvgit status
run mvgit checkout
run mvgit status
sha256sum models/churn.pkl

step "Let the git hooks do the work"
run mvgit install   # mvgit init installs them too, unless --no-hooks
run mvgit track 'models/*.pkl' --kind model
run git add .mvgit/config.yaml .gitattributes
run git commit -q -m "Track models with a rule"
model v3
echo '{"accuracy": 0.95, "auc": 0.97}' > metrics.json
echo "# retrained with more data" >> notes.txt
run git add notes.txt
run git commit -am "Retrain churn model v3"   # pre-commit records the new model version
run git log --oneline

step "Go back in time: git checkout of the first commit puts the old model in place"
FIRST="$(git rev-list --max-parents=0 HEAD)"
run git tag v1 "$FIRST"
run git checkout -q v1
sha256sum models/churn.pkl
run git checkout -q main
sha256sum models/churn.pkl

step "An old model beside today's: mvgit checkout REV -- PATH -o OUT"
run mvgit checkout v1 -- models/churn.pkl -o ../churn-v1.pkl
sha256sum ../churn-v1.pkl models/churn.pkl
run mvgit log models/churn.pkl

step "Share: a folder remote for the binaries, a bare repository for the code"
run mvgit remote add origin "$WORK/store" --default
run git add -A
run git commit -q -m "Share: mvgit remote and hooks"
run git init -q --bare -b main "$WORK/origin.git"
run git remote add origin "$WORK/origin.git"
run git push -u origin main   # the pre-push hook uploads the binaries first
printf 'remote: %s object(s)\n' "$(find "$WORK/store/objects" -type f | wc -l | tr -d ' ')"

step "A teammate clones, and mvgit pull gets the model and the dataset"
cd "$WORK"
run git clone -q origin.git teammate
cd teammate
run mvgit init
run mvgit pull
sha256sum models/churn.pkl "$WORK/project/models/churn.pkl"

run mvgit status

step "Done"
echo "The scratch repositories are in $WORK: look around, then remove them with rm -rf $WORK"
