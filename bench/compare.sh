#!/usr/bin/env bash
# Before/after in one run: builds the store of BASE (a git ref, at or after the commit that added
# bench/Jobs.Bench) with this working tree's harness in a temporary worktree, then runs both
# builds in turn, ROUNDS times each (A B A B ...), with the same arguments, and prints every
# figure's median for both and the ratio after/before. Only the code under test differs.
#   bench/compare.sh BASE ROUNDS -- HARNESS ARGS
#   bench/compare.sh cadcf4b 3 -- updates --sizes 10k --reps 1
set -euo pipefail
base=$1 rounds=$2; shift 2; [[ ${1:-} == -- ]] && shift
repo=$(git rev-parse --show-toplevel)
work=$(mktemp -d /tmp/jobs-compare.XXXXXX)
git -C "$repo" worktree add --detach -f "$work/base" "$base" >/dev/null
trap 'git -C "$repo" worktree remove --force "$work/base"; rm -rf "$work"' EXIT
rm -rf "$work/base/bench/Jobs.Bench"
(cd "$repo/bench" && tar --exclude=bin --exclude=obj -cf - Jobs.Bench) | tar -C "$work/base/bench" -xf -
dotnet build -c Release "$work/base/bench/Jobs.Bench" -v q -nologo >/dev/null
dotnet build -c Release "$repo/bench/Jobs.Bench" -v q -nologo >/dev/null
for r in $(seq 1 "$rounds"); do
  echo "round $r/$rounds: before ($base)"
  dotnet "$work/base/bench/Jobs.Bench/bin/Release/net10.0/Jobs.Bench.dll" "$@" --out "$work/before/$r" >/dev/null
  echo "round $r/$rounds: after (working tree)"
  dotnet "$repo/bench/Jobs.Bench/bin/Release/net10.0/Jobs.Bench.dll" "$@" --out "$work/after/$r" >/dev/null
done
dotnet "$repo/bench/Jobs.Bench/bin/Release/net10.0/Jobs.Bench.dll" compare "$work/before" "$work/after"
