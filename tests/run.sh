#!/usr/bin/env bash
# The test command: installs every test peer that is missing, builds, and runs the whole suite.
# Used as is by .ci/run. Ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
/usr/bin/python3 -c "import aiosmtpd" 2>/dev/null || missing+=(python3-aiosmtpd)   # real SMTP server on loopback
command -v qemu-nbd >/dev/null || missing+=(qemu-utils)     # qemu-nbd, qemu-img, qemu-io: qcow2 dirty bitmaps over NBD
command -v nbdkit >/dev/null || missing+=(nbdkit)           # synthetic NBD disks (sparse-random, memory, file)
command -v nbdcopy >/dev/null || missing+=(libnbd-bin)      # nbdinfo, nbdcopy: reference NBD client
command -v chromium >/dev/null || missing+=(chromium)       # a real browser for the live-page tests (driven by Playwright)
command -v go >/dev/null || missing+=(golang-go)             # builds the vcsim test peer (offline)
[ -d /usr/share/gocode/src/github.com/vmware/govmomi/simulator ] || missing+=(golang-github-vmware-govmomi-dev)   # govmomi's vCenter simulator
command -v npm >/dev/null || missing+=(nodejs npm)          # the portal's build restores ApexCharts from npm
# nginx: the deployment tests run `nginx -t` on deploy/nginx and run it in front of two fake nodes (never the
# system's nginx service). /usr/sbin is often not on a non-root user's PATH, so look there too.
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] || missing+=(redis-server)   # a real Redis for the SignalR backplane tests
command -v openssl >/dev/null || missing+=(openssl)         # the deployment tests make a throwaway TLS certificate for nginx

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test peers: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # The packages start their system services where an init system lets them: the tests start their own
  # nginx and redis-server on free ports, so stop those rather than leave port 80 and 6379 taken.
  for service in nginx redis-server; do
    if [[ " ${missing[*]} " == *" $service "* ]]; then
      $sudo_cmd service "$service" stop >/dev/null 2>&1 || true
    fi
  done
fi

# The vCenter test peer (tests/peers/vcsim), built offline from Debian's govmomi when missing or older than its source.
vcsim="$PWD/artifacts/peers/vcsim"
if [ ! -x "$vcsim/vcsim" ] || [ tests/peers/vcsim/main.go -nt "$vcsim/vcsim" ]; then
  echo "Building the vcsim test peer"
  mkdir -p "$vcsim"
  (cd tests/peers/vcsim && GO111MODULE=off GOPATH="$vcsim/gopath:/usr/share/gocode" GOCACHE="$vcsim/cache" GOFLAGS= go build -o "$vcsim/vcsim" .)
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results="$PWD/artifacts/test-results"
rm -rf "$results"

dotnet tool restore >/dev/null
dotnet build ProviderPortal.sln -c Release -nologo -clp:ErrorsOnly

status=0
dotnet test ProviderPortal.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=$?

# One closing line for every runner that reads it: the sum over all test projects.
passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
echo "${passed} passed, ${failed} failed"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "No test ran." >&2
  exit 1
fi
exit "$status"
