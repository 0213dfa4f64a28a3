# The installer around the reporter, for tests/integration/installer-bash.test.ts: what the
# community scripts' build.func, install.func and error_handler.func set and call before and
# after misc/api.func does its work, one install scenario per call. The reporter itself is
# sourced unmodified (tests/support/upstream/api.func); only its surroundings are stubbed here
# (pveversion, lspci and dmidecode come from stub commands on PATH).
#
# Run as the scripts run: bash -c "<repository line>$(cat installer.sh)" installer API_FUNC SCENARIO
# The script text is then bash's command line, which detect_repo_source() reads from
# /proc/$$/cmdline; the test's first line names the repository the run came from.
# Prints "execution <id>" for every install attempt it reports, "session <id>" once.
set -u
API_FUNC="$1"
SCENARIO="$2"
WORK="${WORK:?the test gives a scratch dir}"

# build-ui.func: the session and its first attempt.
RANDOM_UUID="$(cat /proc/sys/kernel/random/uuid)"
EXECUTION_ID="${RANDOM_UUID}"
export RANDOM_UUID EXECUTION_ID
# The user's choices (the advanced menu or the script's defaults; build.func reads the opt-out
# from /usr/local/community-scripts/diagnostics into DIAGNOSTICS).
DIAGNOSTICS="${DIAGNOSTICS:-yes}"
NSAPP="${NSAPP:-jellyfin}"
CT_TYPE=1
DISK_SIZE="8G"
CORE_COUNT=2
RAM_SIZE=2048
var_os=debian
var_version=13
METHOD=default
SESSION_ID="${RANDOM_UUID:0:8}"
INSTALL_LOG="$WORK/install-${SESSION_ID}.log"

# shellcheck source=/dev/null
source "$API_FUNC"
echo "session $RANDOM_UUID"
attempt() { echo "execution $EXECUTION_ID"; }

# The failing command's output, as silent() captures it: quotes, a backslash, a tab, an IPv4 and
# an IPv6 address, a line apt would print.
failing_output() {
  printf '%s\n' \
    'Get:1 http://deb.debian.org/debian trixie InRelease [140 kB]' \
    'E: Failed to fetch http://192.168.1.20:3142/debian/pool/main/j/jellyfin "404  Not Found" [IP: 192.168.1.20 3142]' \
    "W: mirror at 2001:db8::25 said C:\\temp	and gave up"
}

case "$SCENARIO" in
success)
  attempt
  start_install_timer
  post_to_api
  post_progress_to_api "configuring"
  post_update_to_api "done" "none"
  ;;
failure)
  attempt
  start_install_timer
  post_to_api
  post_progress_to_api "configuring"
  failing_output | write_errinfo "${INSTALL_LOG}.errinfo" 100 42 'apt-get install -y "jellyfin" \'
  post_update_to_api "failed" "100"
  # error_handler's EXIT trap fires too: the guard keeps it from reporting twice.
  post_update_to_api "failed" "1"
  ;;
abort)
  attempt
  start_install_timer
  post_to_api
  # pve-backend.func's SIGINT trap (Ctrl-C).
  trap 'post_update_to_api "failed" "130" 2>/dev/null || true; exit 130' SIGINT
  kill -INT $$
  ;;
retry)
  attempt
  start_install_timer
  post_to_api
  echo "Killed" | write_errinfo "${INSTALL_LOG}.errinfo" 137 88 'npm ci'
  post_update_to_api "failed" "137"
  # The recovery menu's OOM retry: the same session, a new attempt with doubled resources.
  telemetry_new_attempt
  RAM_SIZE=4096
  CORE_COUNT=4
  attempt
  start_install_timer
  post_to_api
  post_update_to_api "done" "none"
  ;;
repair)
  attempt
  start_install_timer
  post_to_api
  post_update_to_api "failed" "100"
  # The menu's APT repair worked: the same attempt, new information, sent with force.
  post_update_to_api "done" "0" "force"
  ;;
unfinished)
  attempt
  start_install_timer
  post_to_api
  post_progress_to_api "validation"
  # The host lost power here: no final status ever.
  ;;
vm)
  NSAPP="haos-vm"
  attempt
  start_install_timer
  post_to_api_vm
  post_update_to_api "done" "none"
  ;;
tool)
  # tools/pve/*.sh: one final event from the EXIT trap, with a session of its own.
  init_tool_telemetry "post-pve-install" "pve"
  exit 0
  ;;
tool-failed)
  init_tool_telemetry "post-pve-install" "pve"
  exit 3
  ;;
addon)
  init_tool_telemetry "cronmaster" "addon"
  exit 0
  ;;
*)
  echo "unknown scenario $SCENARIO" >&2
  exit 2
  ;;
esac
