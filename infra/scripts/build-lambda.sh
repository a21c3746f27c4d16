#!/usr/bin/env bash
# Publishes one host (src/Jobs.Api or functions/Jobs.UpdatesFunction) as a Lambda zip folder.
#
#   infra/scripts/build-lambda.sh <project.csproj> <output folder> [--self-contained]
#
# Default: framework-dependent for the managed `dotnet10` runtime, as template.yaml deploys it.
# The folder holds the apphost (named after the assembly: the function's Handler), which the
# Lambda Web Adapter's exec wrapper (/opt/bootstrap) starts.
#
# --self-contained: for the `provided.al2023` runtime instead. The .NET runtime is bundled and a
# `bootstrap` script starts the apphost; the adapter layer then runs as an extension (no exec
# wrapper). docs/deployment.md says what to change in template.yaml for that.
#
# Environment: JOBS_LAMBDA_RID (default linux-x64; linux-arm64 with Architectures: [arm64] and
# the LambdaAdapterLayerArm64 layer), JOBS_LAMBDA_READY_TO_RUN (default true: precompiled code,
# faster cold starts, a larger zip).
#
# sam build calls this through infra/lambda/Makefile; it runs from the repository root.
set -euo pipefail

usage() {
  echo "usage: $0 <project.csproj> <output folder> [--self-contained]" >&2
  exit 64
}

if [ $# -lt 2 ] || [ $# -gt 3 ]; then usage; fi
project=$1
out=$2
self_contained=false
if [ $# -eq 3 ]; then
  [ "$3" = "--self-contained" ] || usage
  self_contained=true
fi
rid=${JOBS_LAMBDA_RID:-linux-x64}
ready_to_run=${JOBS_LAMBDA_READY_TO_RUN:-true}

[ -f "$project" ] || { echo "$0: no project file at $project" >&2; exit 66; }
case "$rid" in
  linux-x64 | linux-arm64) ;;
  *) echo "$0: JOBS_LAMBDA_RID must be linux-x64 or linux-arm64, not $rid" >&2; exit 64 ;;
esac

# The apphost carries the assembly name: the project's AssemblyName, else its file name.
assembly=$(sed -n 's:.*<AssemblyName>\(.*\)</AssemblyName>.*:\1:p' "$project" | head -n 1)
assembly=${assembly:-$(basename "$project" .csproj)}

mkdir -p "$out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet publish "$project" \
  --configuration Release \
  --runtime "$rid" \
  --self-contained "$self_contained" \
  --output "$out" \
  -p:PublishReadyToRun="$ready_to_run" \
  -p:InvariantGlobalization=true \
  -p:GenerateDocumentationFile=false

# Lambda runs the apphost directly: it must be executable in the zip.
chmod 755 "$out/$assembly"

if [ "$self_contained" = true ]; then
  # provided.al2023 runs $LAMBDA_TASK_ROOT/bootstrap; the adapter extension relays invocations.
  # shellcheck disable=SC2016 # $LAMBDA_TASK_ROOT is for the bootstrap script, not for us
  printf '#!/bin/sh\nexec "$LAMBDA_TASK_ROOT/%s"\n' "$assembly" > "$out/bootstrap"
  chmod 755 "$out/bootstrap"
fi

# appsettings.Development.json would only matter with ASPNETCORE_ENVIRONMENT=Development.
rm -f "$out"/appsettings.Development.json

echo "$0: $assembly ($rid, self-contained: $self_contained, ReadyToRun: $ready_to_run) in $out"
