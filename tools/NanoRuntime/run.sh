#!/usr/bin/env bash
# tools/NanoRuntime/run.sh: Checker.Nano's device assemblies on nanoFramework's real runtime.
#
# Builds nanoFramework's interpreter for Linux (nf-interpreter, targets/posix), its metadata
# processor (our driver, Mdp/), nanoFramework.TestFramework and its UnitTestLauncher (our
# projects, TestFramework/), all from upstream sources at pinned commits, in a work directory
# OUTSIDE this repository; then builds the surface projects listed in assemblies.txt (Debug and
# Release), converts each to a .pe, prints their sizes, runs every test assembly in its own
# interpreter process and every bench program, and ends with "N passed, N failed, N skipped".
# Exit code 0 only if nothing failed. See README.md.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

# Pinned upstream commits (see README.md).
NF_INTERPRETER_COMMIT=a3e8139a1ba778e33ca81b023099765eada6c456
METADATA_PROCESSOR_COMMIT=4541b46b25b6ddca89514c6627aa9973021b36d6
TESTFRAMEWORK_COMMIT=d4fa55eb58a9ef2f4635e87da79d42e6c49b04b4

usage() {
    cat <<'EOF'
usage: tools/NanoRuntime/run.sh [options]
  --work DIR                 work directory, outside the repository (default: ../.nano-runtime
                             beside the repository)
  --nf-interpreter DIR       use this checkout of nanoframework/nf-interpreter
  --metadata-processor DIR   use this checkout of nanoframework/metadata-processor
  --testframework DIR        use this checkout of nanoframework/nanoFramework.TestFramework
                             (without these three, each is cloned into the work directory at
                             its pinned commit from --git-base, default https://github.com/nanoframework)
  --git-base URL             where to clone <name>.git from (a mirror, or a local directory)
  --manifest FILE            the assemblies to build (default tools/NanoRuntime/assemblies.txt)
  --config Debug|Release|both
                             the configuration whose tests and benches run (default Release;
                             both configurations are always built, converted and measured)
  --filter PATTERN           run only the tests whose <namespace>.<class>.<method> contains
                             PATTERN (or matches it as a glob, with * and ?)
  --timeout SECONDS          per interpreter process (default 1800)
  --jobs N                   interpreter processes at a time for tests (default: CPU count)
  --only-build               build, convert and print sizes; run nothing
  --skip-build               reuse what the work directory holds; only run
  -h, --help
EOF
}

work="" nf_dir="" mdp_dir="" tf_dir="" git_base="https://github.com/nanoframework"
manifest="$here/assemblies.txt" run_config="Release" filter="" timeout_s=1800
jobs="$(nproc 2>/dev/null || echo 2)" only_build=0 skip_build=0
while [ $# -gt 0 ]; do
    case "$1" in
        --work) work="$2"; shift 2 ;;
        --nf-interpreter) nf_dir="$2"; shift 2 ;;
        --metadata-processor) mdp_dir="$2"; shift 2 ;;
        --testframework) tf_dir="$2"; shift 2 ;;
        --git-base) git_base="$2"; shift 2 ;;
        --manifest) manifest="$2"; shift 2 ;;
        --config) run_config="$2"; shift 2 ;;
        --filter) filter="$2"; shift 2 ;;
        --timeout) timeout_s="$2"; shift 2 ;;
        --jobs) jobs="$2"; shift 2 ;;
        --only-build) only_build=1; shift ;;
        --skip-build) skip_build=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

die() { echo "run.sh: $*" >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

case "$run_config" in
    Debug|Release) run_configs=("$run_config") ;;
    both) run_configs=(Debug Release) ;;
    *) echo "run.sh: --config must be Debug, Release or both" >&2; exit 2 ;;
esac
[ "$only_build" = 1 ] && [ "$skip_build" = 1 ] && { echo "run.sh: --only-build and --skip-build exclude each other" >&2; exit 2; }
[[ "$timeout_s" =~ ^[0-9]+$ ]] || { echo "run.sh: --timeout takes seconds" >&2; exit 2; }
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --jobs takes a positive number" >&2; exit 2; }
[ -f "$manifest" ] || { echo "run.sh: no manifest $manifest" >&2; exit 2; }
manifest="$(cd "$(dirname "$manifest")" && pwd)/$(basename "$manifest")"

# The work directory: outside the repository, always.
[ -n "$work" ] || work="$repo/../.nano-runtime"
work="$(realpath -m "$work")"
repo_real="$(realpath -m "$repo")"
case "$work/" in
    "$repo_real/"*) echo "run.sh: the work directory $work is inside the repository; give --work a directory outside it" >&2; exit 2 ;;
esac
mkdir -p "$work" || die "cannot create the work directory $work"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDTERMINALLOGGER=off
logs="$work/logs"
mkdir -p "$logs"

# ---------------------------------------------------------------------------------------------
# Progress and counting.

t_start=$(date +%s)
step_no=0
step_t=0
step() {
    step_no=$((step_no + 1))
    step_t=$(date +%s)
    echo "== [$step_no] $* ($(date +%H:%M:%S))"
}
step_done() { echo "   ($(( $(date +%s) - step_t )) s)"; }

passed=0 failed=0 skipped=0
failures=()          # one line per failure, printed before the total
fail() { failed=$((failed + 1)); failures+=("$*"); echo "   FAILED: $*"; }

# 12345 -> 12,345
commas() { local n="$1" out=""; while [ ${#n} -gt 3 ]; do out=",${n: -3}$out"; n="${n:0:${#n}-3}"; done; echo "$n$out"; }

finish() {
    if [ ${#failures[@]} -gt 0 ]; then
        echo
        echo "== failures (${#failures[@]})"
        local f
        for f in "${failures[@]}"; do echo "  $f"; done
    fi
    echo
    echo "total time $(( $(date +%s) - t_start )) s"
    echo "$passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ]
    exit $?
}

# run_logged LOG CMD...: runs CMD with its output in LOG; on failure shows the log's end.
run_logged() {
    local log="$1"; shift
    if "$@" >"$log" 2>&1; then return 0; fi
    echo "   command failed: $*"
    grep -E " error |error:|FAILED|fatal" "$log" | sort -u | head -20 | sed 's/^/   | /'
    tail -n 15 "$log" | sed 's/^/   | /'
    echo "   (full log: $log)"
    return 1
}

# ---------------------------------------------------------------------------------------------
# Sources: the given checkouts, or clones at the pinned commits.

src_dir() { # NAME GIVEN-DIR COMMIT KEY-FILE -> prints the directory to use
    local name="$1" given="$2" commit="$3" key="$4" dir head
    if [ -n "$given" ]; then
        dir="$(cd "$given" 2>/dev/null && pwd)" || { echo "run.sh: no directory $given" >&2; return 1; }
        [ -e "$dir/$key" ] || { echo "run.sh: $dir is not a checkout of $name (no $key)" >&2; return 1; }
        head="$(git -C "$dir" rev-parse HEAD 2>/dev/null || echo "unknown")"
        if [ "$head" != "$commit" ]; then
            echo "   $name: $dir at $head (pinned: $commit)" >&2
        else
            echo "   $name: $dir at the pinned commit" >&2
        fi
        echo "$dir"; return 0
    fi
    dir="$work/src/$name"
    if [ -e "$dir/$key" ] && [ "$(git -C "$dir" rev-parse HEAD 2>/dev/null)" = "$commit" ]; then
        echo "   $name: $dir (cloned before, at the pinned commit)" >&2
        echo "$dir"; return 0
    fi
    [ "$skip_build" = 1 ] && { echo "run.sh: --skip-build, but $dir is missing" >&2; return 1; }
    local url="$git_base/$name.git" tmp="$dir.tmp"
    if [ -d "$git_base/$name" ] && [ ! -d "$git_base/$name.git" ]; then url="$git_base/$name"; fi
    echo "   $name: cloning $url at $commit" >&2
    rm -rf "$tmp" && mkdir -p "$tmp" && git -C "$tmp" init -q && git -C "$tmp" remote add origin "$url" || return 1
    if ! git -C "$tmp" fetch -q --depth 1 origin "$commit" >>"$logs/clone-$name.log" 2>&1; then
        # A server that will not serve a commit by id: fetch everything.
        git -C "$tmp" fetch -q origin >>"$logs/clone-$name.log" 2>&1 || { echo "run.sh: cannot fetch $url (see $logs/clone-$name.log)" >&2; return 1; }
    fi
    git -C "$tmp" -c advice.detachedHead=false checkout -q "$commit" >>"$logs/clone-$name.log" 2>&1 \
        || { echo "run.sh: $url has no commit $commit" >&2; return 1; }
    rm -rf "$dir" && mv "$tmp" "$dir" || return 1
    echo "$dir"
}

mdp_tool="$work/bin/NanoMdp/Release/net10.0/nano-mdp.dll"
clr="$work/build/nanoclr/bin/nanoFramework.nanoCLR.test"
fw="$work/device/framework"         # TestFramework + UnitTestLauncher: dll and pe
mdp() { dotnet "$mdp_tool" "$@"; }

# ---------------------------------------------------------------------------------------------
# The manifest.

kinds=() projects=()
while read -r kind path rest; do
    case "$kind" in ''|'#'*) continue ;; esac
    case "$kind" in lib|test|bench) ;; *) die "$manifest: unknown kind '$kind' (lib, test or bench)" ;; esac
    [ -n "$path" ] && [ -z "$rest" ] || die "$manifest: expected '<kind> <project>', got '$kind $path $rest'"
    case "$path" in /*) ;; *) path="$repo/$path" ;; esac    # absolute paths allowed (experiments)
    [ -f "$path" ] || die "$manifest: no project $path"
    kinds+=("$kind"); projects+=("$path")
done <"$manifest"
echo "NanoRuntime: ${#projects[@]} assemblies from ${manifest#$repo/}; work directory $work"

# Where each configuration's converted assemblies go: libraries together (their names differ),
# each test and bench in a folder of its project's name (every test assembly is NFUnitTest).
dest_dir() { # CONFIG INDEX
    local name; name="$(basename "${projects[$2]}" .csproj)"
    case "${kinds[$2]}" in
        lib) echo "$work/device/$1/lib" ;;
        *) echo "$work/device/$1/${kinds[$2]}/$name" ;;
    esac
}

# ---------------------------------------------------------------------------------------------
# Build.

if [ "$skip_build" = 0 ]; then
    step "sources"
    nf_dir="$(src_dir nf-interpreter "$nf_dir" "$NF_INTERPRETER_COMMIT" targets/posix/CMakeLists.txt)" || die "no nf-interpreter sources"
    mdp_dir="$(src_dir metadata-processor "$mdp_dir" "$METADATA_PROCESSOR_COMMIT" MetadataProcessor.Shared/nanoAssemblyBuilder.cs)" || die "no metadata-processor sources"
    tf_dir="$(src_dir nanoFramework.TestFramework "$tf_dir" "$TESTFRAMEWORK_COMMIT" source/TestFramework/Assert.cs)" || die "no nanoFramework.TestFramework sources"
    step_done

    step "interpreter: nf-interpreter targets/posix (cmake, ninja, Release)"
    for tool in cmake ninja g++; do command -v "$tool" >/dev/null || die "$tool is not installed (see README.md)"; done
    bdir="$work/build/nanoclr"
    if [ -f "$bdir/CMakeCache.txt" ] && ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$nf_dir/targets/posix" "$bdir/CMakeCache.txt"; then
        rm -rf "$bdir"   # configured from another checkout
    fi
    if [ ! -f "$bdir/build.ninja" ]; then
        run_logged "$logs/interpreter-configure.log" cmake -S "$nf_dir/targets/posix" -B "$bdir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
            || die "configuring the interpreter failed"
    fi
    run_logged "$logs/interpreter-build.log" cmake --build "$bdir" || die "building the interpreter failed"
    [ -x "$clr" ] || die "no $clr after the build"
    echo "   $clr"
    step_done

    step "metadata processor: Mdp/NanoMdp.csproj over metadata-processor's sources"
    run_logged "$logs/mdp-build.log" dotnet build "$here/Mdp/NanoMdp.csproj" -c Release \
        -p:MetadataProcessorDir="$mdp_dir" -p:NanoRuntimeWork="$work" || die "building the metadata processor failed"
    [ -f "$mdp_tool" ] || die "no $mdp_tool after the build"
    step_done

    step "nanoFramework.TestFramework and UnitTestLauncher (against the real mscorlib)"
    run_logged "$logs/testframework-build.log" dotnet build "$here/TestFramework/nanoFramework.UnitTestLauncher.csproj" -c Release \
        -p:TestFrameworkDir="$tf_dir" -p:NanoRuntimeWork="$work" || die "building nanoFramework.TestFramework failed"
    rm -rf "$fw" && mkdir -p "$fw"
    cp "$work/bin/nanoFramework.TestFramework/Release/net10.0/nanoFramework.TestFramework.dll" \
       "$work/bin/nanoFramework.UnitTestLauncher/Release/net10.0/nanoFramework.UnitTestLauncher.dll" "$fw/" || die "no TestFramework build output"
    step_done

    step "nanoFramework packages the device projects reference (their .pe files)"
    # Every nanoFramework package of the repository's packages.config files (the highest version
    # of each), except the TestFramework, built above. Each is restored on its own into the NuGet
    # cache, so that one the package source lacks costs only the assemblies that need it (a run
    # needing it then says which assembly is missing). mscorlib's package is always there: the
    # surface builds restore it.
    mkdir -p "$work/packages"
    find "$repo" -name packages.config -not -path '*/bin/*' -not -path '*/obj/*' -not -path '*/packages/*' -print0 \
        | xargs -0 cat | grep -o '<package id="[^"]*" version="[^"]*"' | sed 's/<package id="\([^"]*\)" version="\([^"]*\)"/\1 \2/' \
        | grep -v '^nanoFramework.TestFramework ' | { cat; echo "nanoFramework.CoreLibrary 1.17.11"; } | sort -u | sort -k1,1 -k2,2V \
        | awk '{ v[$1] = $2 } END { for (k in v) print k, v[k] }' | sort >"$work/packages/packages.txt"
    nuget_root="$(dotnet nuget locals global-packages -l | sed -n 's/^global-packages: *//p')"
    : >"$work/packages/dlls.txt"
    while read -r id ver; do
        ls "$nuget_root/${id,,}/$ver/lib"/*.pe >/dev/null 2>&1 && continue   # in the NuGet cache already
        pdir="$work/packages/$id"
        mkdir -p "$pdir"
        cat >"$pdir/restore.csproj" <<EOP
<Project Sdk="Microsoft.NET.Sdk">
  <!-- Written by tools/NanoRuntime/run.sh: downloads $id $ver into the NuGet cache. -->
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="$id" Version="[$ver]" /></ItemGroup>
</Project>
EOP
        dotnet restore "$pdir/restore.csproj" >"$logs/restore-$id.log" 2>&1
    done <"$work/packages/packages.txt"
    while read -r id ver; do
        lib="$nuget_root/${id,,}/$ver/lib"
        if ! ls "$lib"/*.pe >/dev/null 2>&1; then
            echo "   $id $ver: not available from the package source ($(grep -o 'error NU[0-9]*' "$logs/restore-$id.log" | head -n 1)); an assembly that needs it cannot run"
            continue
        fi
        for dll in "$lib"/*.dll; do
            [ -f "$dll" ] && [ -f "${dll%.dll}.pe" ] || continue
            echo "$dll" >>"$work/packages/dlls.txt"
            echo "   $id $ver: $(basename "${dll%.dll}").pe"
        done
    done <"$work/packages/packages.txt"
    grep -q '/mscorlib.dll$' "$work/packages/dlls.txt" || die "no mscorlib.pe (nanoFramework.CoreLibrary 1.17.11) in the NuGet cache"
    step_done

    step "converting nanoFramework.TestFramework and UnitTestLauncher"
    mapfile -t package_dlls <"$work/packages/dlls.txt"
    pkg_refs=(); for d in "${package_dlls[@]}"; do pkg_refs+=(--ref "$d"); done
    mdp convert "$fw/nanoFramework.TestFramework.dll" "$fw/nanoFramework.TestFramework.pe" "${pkg_refs[@]}" | sed 's/^/   /' \
        && mdp convert "$fw/nanoFramework.UnitTestLauncher.dll" "$fw/nanoFramework.UnitTestLauncher.pe" --ref "$fw/nanoFramework.TestFramework.dll" "${pkg_refs[@]}" | sed 's/^/   /'
    [ -f "$fw/nanoFramework.TestFramework.pe" ] && [ -f "$fw/nanoFramework.UnitTestLauncher.pe" ] || die "converting the TestFramework failed"
    step_done

    step "device assemblies: dotnet build -c Debug and -c Release"
    declare -A built=()
    for config in Debug Release; do
        rm -rf "$work/device/$config"
        mkdir -p "$work/device/$config/lib"
    done
    for i in "${!projects[@]}"; do
        for config in Debug Release; do
            p="${projects[$i]}"
            t0=$(date +%s)
            if ! run_logged "$logs/build-$(basename "$p" .csproj)-$config.log" dotnet build "$p" -c "$config"; then
                fail "build [$config] ${p#$repo/}"
                continue
            fi
            target="$(dotnet msbuild "$p" -getProperty:TargetPath -p:Configuration="$config" 2>/dev/null | tail -n 1)"
            [ -f "$target" ] || { fail "build [$config] ${p#$repo/}: no TargetPath ($target)"; continue; }
            d="$(dest_dir "$config" "$i")"
            mkdir -p "$d" && cp "$target" "$d/"
            built["$config:$i"]="$d/$(basename "$target")"
            echo "   ${p#$repo/} [$config] -> $(basename "$target") ($(( $(date +%s) - t0 )) s)"
        done
    done
    step_done

    step "converting to .pe (the metadata processor)"
    for config in Debug Release; do
        : >"$work/device/$config/sizes.txt"
        lib_refs=()
        for dll in "$work/device/$config/lib"/*.dll; do [ -f "$dll" ] && lib_refs+=(--ref "$dll"); done
        for i in "${!projects[@]}"; do
            dll="${built["$config:$i"]:-}"
            [ -n "$dll" ] || continue
            out="$(mdp convert "$dll" "${dll%.dll}.pe" --tables "${lib_refs[@]}" --ref "$fw/nanoFramework.TestFramework.dll" "${pkg_refs[@]}" 2>&1)"
            rc=$?
            label="$(basename "${projects[$i]}" .csproj)"
            echo "$out" | grep -v '^tables ' | sed "s/^/   [$config] /"
            echo "$out" | sed "s|^|$label |" >>"$work/device/$config/sizes.txt"
            # A refused conversion is counted with the sizes, below.
            [ $rc -eq 0 ] || echo "$out" | grep -q '^fail ' || echo "$label fail ${dll##*/} the metadata processor failed (exit code $rc)" >>"$work/device/$config/sizes.txt"
        done
    done
    step_done
else
    for f in "$mdp_tool" "$clr" "$fw/nanoFramework.UnitTestLauncher.pe" "$work/packages/dlls.txt"; do
        [ -e "$f" ] || die "--skip-build, but the work directory has no $f: run once without it"
    done
    mapfile -t package_dlls <"$work/packages/dlls.txt"
    pkg_refs=(); for d in "${package_dlls[@]}"; do pkg_refs+=(--ref "$d"); done
    echo "== reusing $work (--skip-build)"
fi

# ---------------------------------------------------------------------------------------------
# Sizes.

echo
echo "== sizes (bytes; the metadata processor refuses a byte code or string table over 65,535)"
printf '   %-44s %-8s %10s %10s %10s %10s\n' "assembly (project)" config "byte code" strings signatures ".pe"
for config in Debug Release; do
    f="$work/device/$config/sizes.txt"
    [ -f "$f" ] || continue
    while read -r label what asm rest; do
        case "$what" in
            size)
                eval "$(echo "$rest" | tr ' ' '\n' | grep -E '^(bytecode|strings|signatures|pe)=[0-9]+$')"
                printf '   %-44s %-8s %10s %10s %10s %10s\n' "$asm ($label)" "$config" "$(commas "$bytecode")" "$(commas "$strings")" "$(commas "$signatures")" "$(commas "$pe")" ;;
            fail)
                printf '   %-44s %-8s %s\n' "$asm ($label)" "$config" "REFUSED: $rest"
                failed=$((failed + 1)); failures+=("conversion [$config] $asm ($label): $rest") ;;
            overflow)
                n="${rest##*=}"
                printf '   %-44s %-8s %s\n' "" "" "   ${rest%% *}: needs $( [[ "$rest" == *at-least* ]] && echo "at least ")$(commas "$n") bytes" ;;
        esac
    done <"$f"
done

if [ "$only_build" = 1 ]; then
    finish
fi

# ---------------------------------------------------------------------------------------------
# Runs: every test assembly (its own process) and every bench.

# pes_for OUT-VAR CONFIG ROOT.DLL... : the .pe files to load, in order, into the named array;
# prints why not and returns 1 when an assembly is missing.
pes_for() {
    local -n _out="$1"; shift
    local config="$1"; shift
    local refs=() dll out rc
    for dll in "$@"; do refs+=(--ref "$dll"); done
    for dll in "$work/device/$config/lib"/*.dll; do [ -f "$dll" ] && refs+=(--ref "$dll"); done
    refs+=(--ref "$fw/nanoFramework.TestFramework.dll" --ref "$fw/nanoFramework.UnitTestLauncher.dll" "${pkg_refs[@]}")
    out="$(mdp deps "$@" "${refs[@]}" 2>&1)"; rc=$?
    mapfile -t _out < <(echo "$out" | sed -n 's/^pe //p')
    [ $rc -eq 0 ] && [ ${#_out[@]} -gt 0 ] && return 0
    echo "$out" | grep -v '^pe '
    return 1
}

run_clr() { # LOG PE...: one interpreter process, at most timeout_s seconds
    local log="$1"; shift
    local t0; t0=$(date +%s)
    (cd "$(dirname "$log")" && timeout -k 10 "$timeout_s" "$clr" "$@") >"$log" 2>&1
    local rc=$?
    echo "$rc $(( $(date +%s) - t0 ))" >"$log.rc"
}

# The runs, prepared first (conversion of filtered tests, dependencies), then started.
run_labels=() run_logs=() run_kinds=() run_expect=()
step "preparing the runs (${run_configs[*]})"
for config in "${run_configs[@]}"; do
    for i in "${!projects[@]}"; do
        kind="${kinds[$i]}"
        [ "$kind" = lib ] && continue
        d="$(dest_dir "$config" "$i")"
        label="$(basename "${projects[$i]}" .csproj) [$config]"
        dll="$(ls "$d"/*.dll 2>/dev/null | head -n 1)"
        if [ -z "$dll" ] || [ ! -f "${dll%.dll}.pe" ]; then
            fail "$label: not run (no .pe: see the build and conversion above)"
            continue
        fi
        rundir="$work/runs/$config/$(basename "$d")"
        rm -rf "$rundir" && mkdir -p "$rundir"
        if [ "$kind" = test ]; then
            name="$(mdp refs "$dll" | awk '/^assembly /{ print $2 }')"
            if [ "$name" != NFUnitTest ]; then
                fail "$label: a test assembly must be named NFUnitTest (nanoFramework.UnitTestLauncher loads that name), not $name"
                continue
            fi
            if [ -n "$filter" ]; then
                mkdir -p "$rundir/filtered"
                kept="$(mdp filter "$dll" "$rundir/filtered/NFUnitTest.dll" "$filter")"
                echo "   $label: $kept"
                case "$kept" in "filter 0 of"*) echo "   $label: no test matches '$filter': not run"; continue ;; esac
                dll="$rundir/filtered/NFUnitTest.dll"
                lib_refs=(); for l in "$work/device/$config/lib"/*.dll; do [ -f "$l" ] && lib_refs+=(--ref "$l"); done
                out="$(mdp convert "$dll" "${dll%.dll}.pe" "${lib_refs[@]}" --ref "$fw/nanoFramework.TestFramework.dll" "${pkg_refs[@]}" 2>&1)" \
                    || { fail "$label: the filtered assembly did not convert: $out"; continue; }
            fi
            mdp tests "$dll" >"$rundir/expected.txt"
            if ! pes_for pes "$config" "$fw/nanoFramework.UnitTestLauncher.dll" "$dll" >"$rundir/deps.txt"; then
                fail "$label: not run: $(grep -v '^rc ' "$rundir/deps.txt" | head -n 3 | tr '\n' ' ')"
                continue
            fi
        else
            if ! pes_for pes "$config" "$dll" >"$rundir/deps.txt"; then
                fail "$label: not run: $(grep -v '^rc ' "$rundir/deps.txt" | head -n 3 | tr '\n' ' ')"
                continue
            fi
        fi
        printf '%s\n' "${pes[@]}" >"$rundir/pes.txt"
        echo "   $label: $(for p in "${pes[@]}"; do basename "$p"; done | tr '\n' ' ')"
        run_labels+=("$label"); run_logs+=("$rundir/output.log"); run_kinds+=("$kind"); run_expect+=("$rundir/expected.txt")
    done
done
step_done

step "running ${#run_labels[@]} interpreter process(es), $jobs at a time, at most $timeout_s s each"
# Tests in parallel (their timings are not the point); benches afterwards, one at a time.
running=0
for k in "${!run_labels[@]}"; do
    [ "${run_kinds[$k]}" = test ] || continue
    mapfile -t pes <"$(dirname "${run_logs[$k]}")/pes.txt"
    echo "   started ${run_labels[$k]}"
    run_clr "${run_logs[$k]}" "${pes[@]}" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait
for k in "${!run_labels[@]}"; do
    [ "${run_kinds[$k]}" = bench ] || continue
    mapfile -t pes <"$(dirname "${run_logs[$k]}")/pes.txt"
    echo "   started ${run_labels[$k]}"
    run_clr "${run_logs[$k]}" "${pes[@]}"
done
step_done

# ---------------------------------------------------------------------------------------------
# Results.

for k in "${!run_labels[@]}"; do
    label="${run_labels[$k]}" log="${run_logs[$k]}"
    read -r rc secs <"$log.rc"
    done_seen=0; grep -q '^Done\.' "$log" && done_seen=1
    ended="exit code $rc"; [ "$rc" = 124 ] || [ "$rc" = 137 ] && ended="stopped after the $timeout_s s timeout"
    echo
    if [ "${run_kinds[$k]}" = bench ]; then
        echo "== bench $label (${secs} s)"
        # What the program printed: between the interpreter's "Ready." and "Done.".
        sed -n '/^Ready\./,/^Done\./p' "$log" | sed '1d;$d' | tr -d '\r' | sed 's/^/   /'
        if [ "$done_seen" = 0 ]; then
            fail "bench $label: the interpreter did not finish ($ended); last lines: $(tail -n 5 "$log" | tr -d '\r' | tr '\n' '|')"
        fi
        continue
    fi
    p=$(grep -c '^Test passed,' "$log"); f=$(grep -c '^Test failed,' "$log"); s=$(grep -c '^Test skipped,' "$log")
    passed=$((passed + p)); skipped=$((skipped + s))
    echo "== tests $label: $p passed, $f failed, $s skipped (${secs} s)"
    while IFS= read -r line; do
        line="${line%$'\r'}"
        rest="${line#Test failed,}"
        fail "$label ${rest%%,*}: ${rest#*,}"
    done < <(grep '^Test failed,' "$log")
    # Tests the launcher never reported: after a skipped [Setup] the rest of its class is
    # skipped; otherwise the process ended before them.
    missing_failed=0 missing_skipped=0
    while read -r _ cls count; do
        seen=$(grep -cF "Test passed,$cls." "$log"; true); seen=$((seen + $(grep -cF "Test failed,$cls." "$log"; true)))
        sk=$(grep -cF "Test skipped,$cls." "$log"; true); seen=$((seen + sk))
        [ "$seen" -lt "$count" ] || continue
        if [ "$sk" -gt 0 ] && [ "$done_seen" = 1 ]; then
            missing_skipped=$((missing_skipped + count - seen))
        else
            missing_failed=$((missing_failed + count - seen))
        fi
    done < <(grep '^class ' "${run_expect[$k]}")
    skipped=$((skipped + missing_skipped))
    [ "$missing_skipped" -gt 0 ] && echo "   $missing_skipped test(s) not run after a skipped [Setup]: counted as skipped"
    if [ "$done_seen" = 0 ]; then
        fail "$label: the interpreter did not finish ($ended); $missing_failed test(s) never reported; last lines: $(tail -n 5 "$log" | tr -d '\r' | tr '\n' '|')"
        failed=$((failed + (missing_failed > 0 ? missing_failed - 1 : 0)))
    elif [ "$missing_failed" -gt 0 ]; then
        fail "$label: $missing_failed test(s) declared but never reported"
        failed=$((failed + missing_failed - 1))
    fi
    echo "   output: $log"
done

finish
