#!/bin/sh
# Posts a Markdown report as the merge request's mvgit note, or updates the note already there,
# found by its hidden marker: one note per merge request, rewritten on every push.
#
# Usage: post-report-gitlab.sh REPORT.md
# Env:   MVGIT_GITLAB_TOKEN: a project access token (role Reporter, scope api). CI_JOB_TOKEN
#        cannot be used: GitLab does not let the job token read or write merge request notes.
#        CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID: set by GitLab in merge request pipelines.
#        MVGIT_REPORT_MARKER, when the marker is not the default one.
# Needs: curl, and node (there already: mvgit runs on it) to read the API's JSON.
set -eu

report=${1:?usage: post-report-gitlab.sh REPORT.md}
marker=${MVGIT_REPORT_MARKER:-'<!-- mvgit-report -->'}
: "${CI_API_V4_URL:?not in a GitLab CI job}"
: "${CI_PROJECT_ID:?not in a GitLab CI job}"
: "${CI_MERGE_REQUEST_IID:?not a merge request pipeline (rules: if: \$CI_PIPELINE_SOURCE == \"merge_request_event\")}"
if [ -z "${MVGIT_GITLAB_TOKEN:-}" ]; then
  echo "mvgit: MVGIT_GITLAB_TOKEN is not set (a project access token with the api scope); the report is not posted" >&2
  exit 0
fi

notes="$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes"
body=$(mktemp "${TMPDIR:-/tmp}/mvgit-report.XXXXXX")
trap 'rm -f "$body"' EXIT
if grep -qF "$marker" "$report"; then
  cat "$report" >"$body"
else
  { printf '%s\n' "$marker"; cat "$report"; } >"$body"
fi

# The notes, a page at a time, until one holds the marker or the pages run out.
id=
page=1
while [ -z "$id" ]; do
  list=$(curl -fsS --header "PRIVATE-TOKEN: $MVGIT_GITLAB_TOKEN" "$notes?sort=asc&per_page=100&page=$page")
  [ "$list" = "[]" ] && break
  id=$(printf '%s' "$list" | MARKER=$marker node -e '
    let s = "";
    process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const note = JSON.parse(s).find((n) => typeof n.body === "string" && n.body.includes(process.env.MARKER));
      if (note) console.log(note.id);
    });')
  page=$((page + 1))
done

if [ -n "$id" ]; then
  curl -fsS -X PUT --header "PRIVATE-TOKEN: $MVGIT_GITLAB_TOKEN" --data-urlencode "body@$body" "$notes/$id" >/dev/null
  echo "mvgit: updated the report note ($id) on !$CI_MERGE_REQUEST_IID"
else
  curl -fsS -X POST --header "PRIVATE-TOKEN: $MVGIT_GITLAB_TOKEN" --data-urlencode "body@$body" "$notes" >/dev/null
  echo "mvgit: posted the report note on !$CI_MERGE_REQUEST_IID"
fi
