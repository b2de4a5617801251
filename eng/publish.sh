#!/usr/bin/env bash
# Publishes the self-contained, trimmed, single-file `hearsay` for one platform, the way an app bundles it:
#   eng/publish.sh RID [OUT_DIR]
# RID is linux-x64, linux-arm64, win-x64, win-arm64 or osx-arm64 (all cross-publish from Linux). OUT_DIR defaults to
# artifacts/publish/RID. The folder holds hearsay (hearsay.exe on Windows) and ONNX Runtime's native library, and
# nothing else: drop it into the app's resources as it is. It then reports the sizes against the budget (everything
# except ONNX Runtime ≤ 35 MB; linux-x64 in total ≤ 65 MB) and exits 1 if the budget is exceeded.
set -euo pipefail

readonly supported="linux-x64 linux-arm64 win-x64 win-arm64 osx-arm64"
readonly budget_without_ort=$((35 * 1000 * 1000))
readonly budget_linux_x64_total=$((65 * 1000 * 1000))

usage() { echo "usage: eng/publish.sh RID [OUT_DIR]   (RID: ${supported// /, })" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
rid="$1"
[[ " $supported " == *" $rid "* ]] || { echo "publish: unsupported RID '$rid'" >&2; usage; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${2:-$root/artifacts/publish/$rid}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
# A stale file from an earlier publish would be shipped by mistake and counted in the sizes.
find "$out" -mindepth 1 -delete

# Trimming is safe: the server uses the Request Delegate Generator and source-generated JSON, and any trim warning
# fails the build (warnings are errors). Trimming rewrites the assemblies and drops their precompiled code, which left
# a cold start of 0.8 s spent compiling; ReadyToRun compiles them again ahead of time (0.2 s), and compressing the
# single file keeps that within the size budget (49 MB uncompressed) for about 0.1 s of decompression at start.
# ONNX Runtime's native library stays a separate file next to hearsay, so an installer and code signing see it for
# what it is. No debug symbols or XML docs ship.
dotnet publish "$root/src/Hearsay.Cli/Hearsay.Cli.csproj" -c Release -r "$rid" --nologo -v quiet -o "$out" \
    -p:SelfContained=true -p:PublishSingleFile=true -p:PublishTrimmed=true \
    -p:PublishReadyToRun=true -p:EnableCompressionInSingleFile=true \
    -p:DebugType=none -p:PublishDocumentationFiles=false -p:EventSourceSupport=false

# Not needed outside the build: import libraries, stray symbols, and ASP.NET Core's IIS module (Hearsay runs Kestrel).
find "$out" -type f \( -name '*.lib' -o -name '*.pdb' -o -name 'aspnetcorev2_inprocess.dll' \) -delete

# Sizes in bytes; ONNX Runtime's native library is counted apart (its own build, not ours to shrink).
ort=0
rest=0
while IFS= read -r -d '' file; do
    size=$(stat -c %s "$file")
    case "$(basename "$file")" in
        libonnxruntime.so | libonnxruntime.dylib | onnxruntime.dll) ort=$((ort + size)) ;;
        *) rest=$((rest + size)) ;;
    esac
done < <(find "$out" -type f -print0)
total=$((ort + rest))

mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }
echo "publish: $rid -> $out"
(cd "$out" && find . -type f -printf '  %P\t%s bytes\n' | sort)
echo "publish: ONNX Runtime $(mb $ort), everything else $(mb $rest) (budget $(mb $budget_without_ort)), total $(mb $total)"

failed=0
if ((rest > budget_without_ort)); then
    echo "publish: everything except ONNX Runtime is $(mb $rest), over the $(mb $budget_without_ort) budget" >&2
    failed=1
fi
if [[ "$rid" == linux-x64 ]] && ((total > budget_linux_x64_total)); then
    echo "publish: linux-x64 is $(mb $total) in total, over the $(mb $budget_linux_x64_total) budget" >&2
    failed=1
fi
exit $failed
