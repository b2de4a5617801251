#!/usr/bin/env bash
# Builds Hearsay's portable phonemizer, byte for byte, from espeak-ng's upstream source at tag 1.51
# (github.com/espeak-ng/espeak-ng, commit 2e9a5fccbb0095e87b2769e9249ea1f821918ecd, the version Debian 12 ships):
#   espeak-ng.wasm    libespeak-ng and the loop in hearsay-phonemizer.c, for wasm32-wasi (ADR 0010)
#   espeak-ng-data/   the dictionaries, phoneme tables and voices it reads, compiled by a native build of the same source
# and checks both against third_party/espeak-ng/SHA256SUMS, so what is committed and shipped is what this source gives.
#
# Usage: tools/espeak-ng-wasm/build.sh ESPEAK_NG_GIT_DIR [--update]
#   ESPEAK_NG_GIT_DIR  a clone (or bare repository) of espeak-ng that has the tag 1.51
#   --update           write the outputs into third_party/espeak-ng and SHA256SUMS instead of failing on a difference
# Needs Debian 12's toolchain: apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32 llvm autoconf automake
# libtool make. Other compiler versions give other bytes, which the check reports.
set -euo pipefail

tag=1.51
commit=2e9a5fccbb0095e87b2769e9249ea1f821918ecd
# SHA-256 of `sha256sum` over the source files in name order (below): independent of how the tree was archived.
source_sha256=e71b5437d729c9c3a731f10a6ca537ed779c17058341edda64f3a1766e085b1e
# The extended ru/cmn/yue dictionaries are not built (as with --with-extdict-*=no), so their word lists are not needed.
excluded=':(exclude)dictsource/extra'

repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$repo_root/tools/espeak-ng-wasm"
dest="$repo_root/third_party/espeak-ng"
git_dir="${1:?usage: build.sh ESPEAK_NG_GIT_DIR [--update]}"
update="${2:-}"

export SOURCE_DATE_EPOCH=1648927481 # the tag's commit time, so nothing depends on when this runs
export LC_ALL=C TZ=UTC
umask 022

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

found="$(git -C "$git_dir" rev-parse "$tag^{commit}")"
if [[ "$found" != "$commit" ]]; then
    echo "build.sh: tag $tag is $found in $git_dir, not $commit" >&2
    exit 1
fi
mkdir "$work/src"
git -C "$git_dir" archive --format=tar "$commit" -- . "$excluded" | tar -x -C "$work/src"
actual_source="$(cd "$work/src" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
if [[ "$actual_source" != "$source_sha256" ]]; then
    echo "build.sh: the source's SHA-256 is $actual_source, expected $source_sha256" >&2
    exit 1
fi

features=(--without-pcaudiolib --without-klatt --without-speechplayer --without-mbrola --without-sonic --without-async
          --with-extdict-ru=no --with-extdict-cmn=no --with-extdict-yue=no)
build_log="$work/build.log"
fail() { tail -n 40 "$build_log" >&2; echo "build.sh: $1 failed (log above)" >&2; exit 1; }

# 1. A native build compiles the data (compiling needs to run espeak-ng; the data is the same on every platform).
cp -a "$work/src" "$work/native"
(cd "$work/native" && ./autogen.sh && ./configure "${features[@]}" && make -j"$(nproc)") >"$build_log" 2>&1 \
    || fail "the native build of espeak-ng-data"

# 2. The library for wasm32-wasi, configured in-tree like the native one. -include wchar.h: wasi-libc's
#    iswalnum(wint_t) otherwise clashes with espeak-ng's ucd_isalnum(codepoint_t). -ffile-prefix-map keeps the
#    temporary folder's name out of the module.
cp -a "$work/src" "$work/wasm"
wasm_cc="clang-14 --target=wasm32-wasi --sysroot=/usr"
wasm_cflags="-O2 -include wchar.h -ffile-prefix-map=$work/wasm=."
(cd "$work/wasm" && ./autogen.sh \
    && ./configure --host=wasm32-wasi --enable-static --disable-shared "${features[@]}" \
        CC="$wasm_cc" CFLAGS="$wasm_cflags" AR=llvm-ar-14 RANLIB=llvm-ranlib-14 \
    && make -j"$(nproc)" src/libespeak-ng.la) >"$build_log" 2>&1 \
    || fail "the wasm32-wasi build of libespeak-ng"

# 3. The module: the driver loop and the library, linked by clang (not libtool's g++); 1 MiB of stack for espeak-ng's
#    large local buffers; stripped, so only code and data remain.
out="$work/out"
mkdir -p "$out/espeak-ng-data"
(cd "$work/wasm" && $wasm_cc $wasm_cflags -Isrc/include \
    "$here/hearsay-phonemizer.c" "$here/wasi-stubs.c" src/.libs/libespeak-ng.a \
    -Wl,-z,stack-size=1048576 -Wl,--strip-all -o "$out/espeak-ng.wasm") >"$build_log" 2>&1 \
    || fail "linking espeak-ng.wasm"

# 4. The data the phonemizer reads, as espeak-ng's own Android package selects it: no MBROLA voices.
data="$work/native/espeak-ng-data"
(cd "$data" && cp -p intonations phondata phonindex phontab ./*_dict "$out/espeak-ng-data/" \
    && cp -rp lang "$out/espeak-ng-data/" && mkdir "$out/espeak-ng-data/voices" \
    && cp -rp voices/'!v' "$out/espeak-ng-data/voices/")
cp "$work/src/COPYING" "$out/COPYING"
chmod -R u=rwX,go=rX "$out"

sums="$(cd "$out" && find . -type f -print0 | sort -z | xargs -0 sha256sum)"
if [[ "$update" == "--update" ]]; then
    rm -rf "$dest/espeak-ng.wasm" "$dest/espeak-ng-data" "$dest/COPYING"
    mkdir -p "$dest"
    cp -rp "$out/." "$dest/"
    printf '%s\n' "$sums" >"$dest/SHA256SUMS"
    echo "build.sh: wrote $dest"
elif ! diff <(printf '%s\n' "$sums") "$dest/SHA256SUMS" >"$work/diff"; then
    cat "$work/diff" >&2
    echo "build.sh: the outputs differ from $dest/SHA256SUMS (lines starting with < are this build's)" >&2
    exit 1
else
    echo "build.sh: espeak-ng.wasm and espeak-ng-data match $dest/SHA256SUMS"
fi
