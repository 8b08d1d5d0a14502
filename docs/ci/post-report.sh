#!/bin/sh
# Posts a Markdown report as the pull request's mvgit comment, or updates the comment already
# there, found by its hidden marker: one comment per pull request, rewritten on every push.
#
# Usage: post-report.sh REPORT.md
# Env:   GITHUB_REPOSITORY (owner/name) and PR_NUMBER; gh reads GH_TOKEN.
#        MVGIT_REPORT_MARKER, when the marker is not the default one.
# Needs: gh (preinstalled on GitHub's runners); its --jq needs no jq binary.
set -eu

report=${1:?usage: post-report.sh REPORT.md}
marker=${MVGIT_REPORT_MARKER:-'<!-- mvgit-report -->'}
: "${GITHUB_REPOSITORY:?set GITHUB_REPOSITORY to owner/name}"
: "${PR_NUMBER:?set PR_NUMBER to the pull request number}"

body=$(mktemp "${TMPDIR:-/tmp}/mvgit-report.XXXXXX")
trap 'rm -f "$body"' EXIT
# mvgit report --md writes the marker itself; a report made otherwise gets it here, or the next
# run could not find this comment and would post a second one.
if grep -qF "$marker" "$report"; then
  cat "$report" >"$body"
else
  { printf '%s\n' "$marker"; cat "$report"; } >"$body"
fi

# A failed listing must stop here (set -e), not look like "no comment yet" and post a duplicate.
ids=$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" \
  --jq ".[] | select(.body | contains(\"$marker\")) | .id")
id=$(printf '%s\n' "$ids" | head -n 1)

if [ -n "$id" ]; then
  gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" -F "body=@$body" >/dev/null
  echo "mvgit: updated the report comment ($id) on #$PR_NUMBER"
else
  gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" -F "body=@$body" >/dev/null
  echo "mvgit: posted the report comment on #$PR_NUMBER"
fi
