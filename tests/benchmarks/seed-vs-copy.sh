#!/usr/bin/env bash
# Seed-device benchmark: providerportal-worker `seed-write` and `seed-ingest` against its plain `copy` of the same disk.
#
#   tests/benchmarks/seed-vs-copy.sh                    # from the repo root; 3 runs, 2 GiB
#   BENCH_RUNS=5 BENCH_SIZE=4G tests/benchmarks/seed-vs-copy.sh
#
# Environment: BENCH_RUNS (default 3), BENCH_SIZE (default 2G), BENCH_KEEP=1 (keep the temp dir),
# BENCH_WORKER=jit|aot: jit (default) the Release build (BENCH_NO_BUILD=1 uses it as it is); aot the native executable
# as deployed (published here first, needs gcc).
#
# What it measures (issue 7): the source is `nbdkit sparse-random size=$BENCH_SIZE percent=100 seed=1` (every byte data,
# so every chunk is encrypted, hashed and written), read over NBD by all three commands.
#  - copy:        ours `copy SOURCE target.raw` into a preallocated raw file (flushes at the end, as by default);
#  - copy-new:    the same copy into a new file each run (what seed-write faces: a device's blocks allocated and flushed);
#  - seed-write:  `seed-write SOURCE DEVICE` into a fresh folder (AES-256-GCM, SHA-256 per chunk, every chunk flushed);
#  - seed-ingest: `seed-ingest DEVICE ingested.raw` into a preallocated raw file, as the copy's (every chunk verified,
#                 then decrypted and written).
# Ratios are copy time / seed time (seed-write against copy-new too) (1.0: as fast as the plain copy; 0.5: takes twice as long), and copy time / (write +
# ingest), the whole courier path against one network copy at local speed. Wall seconds, process start included. The
# machine is noisy (2 cores shared with the NBD server and other work): only ratios measured side by side mean anything.
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${BENCH_RUNS:-3}
SIZE=${BENCH_SIZE:-2G}
command -v nbdkit >/dev/null || { echo "error: 'nbdkit' is missing: apt-get install -y --no-install-recommends nbdkit" >&2; exit 2; }
command -v nbdinfo >/dev/null || { echo "error: 'nbdinfo' is missing: apt-get install -y --no-install-recommends libnbd-bin" >&2; exit 2; }
command -v openssl >/dev/null || { echo "error: 'openssl' is missing: apt-get install -y --no-install-recommends openssl" >&2; exit 2; }

DIR=$(mktemp -d /tmp/seed-bench.XXXXXX)
WORKER=$PWD/src/ProviderPortal.Worker/bin/Release/net10.0/providerportal-worker
case "${BENCH_WORKER:-jit}" in
  jit) [ "${BENCH_NO_BUILD:-0}" = 1 ] || dotnet build src/ProviderPortal.Worker -c Release -nologo -clp:ErrorsOnly >&2 ;;
  aot)
    dotnet publish src/ProviderPortal.Worker -c Release -r linux-x64 -p:PublishAot=true -p:CppCompilerAndLinker=gcc -o "$DIR/worker" -nologo -clp:ErrorsOnly >&2
    WORKER=$DIR/worker/providerportal-worker ;;
  *) echo "error: BENCH_WORKER must be jit or aot" >&2; rm -rf "$DIR"; exit 2 ;;
esac
[ -x "$WORKER" ] || { echo "error: $WORKER is missing (build it, or drop BENCH_NO_BUILD)" >&2; rm -rf "$DIR"; exit 2; }

cleanup() {
  [ -f "$DIR/src.pid" ] && kill "$(cat "$DIR/src.pid")" 2>/dev/null || true
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "kept $DIR" >&2; else rm -rf "$DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bytes=$(numfmt --from=iec "$SIZE")
port=$((20000 + (RANDOM % 20000)))
nbdkit -P "$DIR/src.pid" -i 127.0.0.1 -p "$port" sparse-random size="$SIZE" percent=100 seed=1
for _ in $(seq 100); do nbdinfo --size "nbd://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done
SRC=nbd://127.0.0.1:$port/
openssl rand -hex 32 >"$DIR/order.key"
fallocate -l "$bytes" "$DIR/target.raw"
fallocate -l "$bytes" "$DIR/ingested.raw"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
timed() { local t; t=$(now); "$WORKER" "$@" >"$DIR/run.log" 2>&1 || { cat "$DIR/run.log" >&2; exit 1; }; elapsed "$t"; }

"$WORKER" copy "$SRC" "$DIR/target.raw" >/dev/null   # warms the target and the page cache, untimed
declare -a c n w i
for run in $(seq "$RUNS"); do
  rm -rf "$DIR/device" "$DIR/new.raw"; mkdir "$DIR/device"
  tn=$(timed copy "$SRC" "$DIR/new.raw")
  if ((run % 2)); then
    tc=$(timed copy "$SRC" "$DIR/target.raw")
    tw=$(timed seed-write "$SRC" "$DIR/device" --key-file "$DIR/order.key")
  else
    tw=$(timed seed-write "$SRC" "$DIR/device" --key-file "$DIR/order.key")
    tc=$(timed copy "$SRC" "$DIR/target.raw")
  fi
  ti=$(timed seed-ingest "$DIR/device" "$DIR/ingested.raw" --key-file "$DIR/order.key")
  cmp -s "$DIR/target.raw" "$DIR/ingested.raw" || { echo "error: the ingested disk differs from the copied one" >&2; exit 1; }
  c+=("$tc"); n+=("$tn"); w+=("$tw"); i+=("$ti")
  echo "run $run: copy $tc s, copy-new $tn s, seed-write $tw s, seed-ingest $ti s" >&2
done

mn=$(median "${n[@]}"); mc=$(median "${c[@]}"); mw=$(median "${w[@]}"); mi=$(median "${i[@]}")
mib=$((bytes / 1048576))
echo
echo "seed-vs-copy: $SIZE all data, $RUNS runs, $(nproc) cores, worker: ${BENCH_WORKER:-jit}, medians (wall seconds, process start included)"
printf '%-44s %10s\n' "copy, s" "$mc"
printf '%-44s %10s\n' "copy-new (into a new file), s" "$mn"
printf '%-44s %10s\n' "seed-write, s" "$mw"
printf '%-44s %10s\n' "seed-ingest (verify + write), s" "$mi"
printf '%-44s %10s\n' "copy, MiB/s" "$(div "$mib" "$mc")"
printf '%-44s %10s\n' "seed-write, MiB/s" "$(div "$mib" "$mw")"
printf '%-44s %10s\n' "seed-ingest, MiB/s" "$(div "$mib" "$mi")"
printf '%-44s %10s\n' "ratio copy / seed-write" "$(div "$mc" "$mw")"
printf '%-44s %10s\n' "ratio copy-new / seed-write" "$(div "$mn" "$mw")"
printf '%-44s %10s\n' "ratio copy / seed-ingest" "$(div "$mc" "$mi")"
printf '%-44s %10s\n' "ratio copy / (seed-write + seed-ingest)" "$(div "$mc" "$(awk -v a="$mw" -v b="$mi" 'BEGIN { print a + b }')")"
