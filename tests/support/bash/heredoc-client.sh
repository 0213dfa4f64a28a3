# A bash test client that sends what the scripts' earlier ingest clients sent (February 2026,
# before json_escape): the payload written by a heredoc with the error text pasted in as it is —
# quotes, a backslash, newlines and a tab unescaped — so the body is not JSON. With curl, as the
# scripts do, and one retry of the final event (its answer was lost: curl timed out after the
# server stored it). For tests/integration/installer-bash.test.ts.
#
# Usage: bash heredoc-client.sh TELEMETRY_URL
# Prints each answer's HTTP status on a line of its own, then "session <id>".
set -u
TELEMETRY_URL="$1"
RANDOM_UUID="$(cat /proc/sys/kernel/random/uuid)"

payload() {
  local status="$1" exit_code="$2" error="$3"
  cat <<EOF
{
    "random_id": "${RANDOM_UUID}",
    "type": "lxc",
    "nsapp": "jellyfin",
    "status": "${status}",
    "ct_type": 1,
    "disk_size": 8G,
    "core_count": 2,
    "ram_size": 2048,
    "os_type": "debian",
    "os_version": "13",
    "pve_version": "9.1.4",
    "method": "default",
    "exit_code": ${exit_code},
    "error": "${error}",
    "error_category": "dependency",
    "install_duration": 212,
    "repo_source": "ProxmoxVE"
}
EOF
}

send() {
  curl -sS -o /dev/null -w '%{http_code}\n' -m 10 -X POST "$TELEMETRY_URL" -H "Content-Type: application/json" -d "$1" || echo "000"
}

send "$(payload installing 0 "")"
error=$(printf 'exit_code=100 | APT: Package manager error | at line 51: $STD apt-get install -y "jellyfin"\n---\nE: Unable to locate package "jellyfin-ffmpeg7" in C:\\repo\tmain')
final="$(payload failed 100 "$error")"
send "$final"
send "$final"
echo "session $RANDOM_UUID"
