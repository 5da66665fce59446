#!/bin/sh
# Freezes the current canonical schemas as schema release <N>: copies every .avsc outside released/ to
# released/<N>/ and writes released/<N>/SHA256SUMS. The build then checks every later change against the frozen
# copies (ReleasedSchemasCompatibilityTest) and refuses edits to them (the checksums).
#
# usage: schemas/freeze-release.sh <N> [schemas-dir]
#   N            the new release number: a positive integer greater than every existing release
#   schemas-dir  the schema tree to freeze (default: the directory of this script)
#
# Run the schemas build before and after: ./mvnw -q -pl modules/syncline-schemas verify
set -eu

fail() {
  echo "freeze-release: $*" >&2
  exit 1
}

[ $# -ge 1 ] && [ $# -le 2 ] || fail "usage: $0 <release-number> [schemas-dir]"
release=$1
case $release in
  '' | *[!0-9]* | 0*) fail "release must be a positive integer without leading zeros, got '$release'" ;;
esac
dir=${2:-$(dirname "$0")}
dir=$(cd "$dir" && pwd) || fail "no such schemas directory: ${2:-}"
released="$dir/released"

if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1"; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1"; }
else
  fail "needs sha256sum or shasum on the PATH"
fi

[ ! -e "$released/$release" ] || fail "release $release already exists in $released: released schemas are frozen"

latest=0
if [ -d "$released" ]; then
  for entry in "$released"/*; do
    name=$(basename "$entry")
    case $name in '' | *[!0-9]*) continue ;; esac
    [ "$name" -le "$latest" ] || latest=$name
  done
fi
[ "$release" -gt "$latest" ] || fail "release $release must be greater than the latest release $latest"

files=$(cd "$dir" && find . -path ./released -prune -o -type f -name '*.avsc' -print | sed 's|^\./||' | LC_ALL=C sort)
[ -n "$files" ] || fail "no .avsc files under $dir"

# Build the copy next to its final place and move it in one step, so a failure leaves no half-frozen release.
staging="$released/.staging-$release"
rm -rf "$staging"
mkdir -p "$staging"
for file in $files; do
  mkdir -p "$staging/$(dirname "$file")"
  cp "$dir/$file" "$staging/$file"
done
(cd "$staging" && for file in $files; do sha256 "$file"; done) >"$staging/SHA256SUMS"
mv "$staging" "$released/$release"

count=$(printf '%s\n' "$files" | wc -l | tr -d ' ')
echo "froze $count schemas as release $release in $released/$release"
