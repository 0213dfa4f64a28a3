/**
 * Failure traces full of what must never be published — addresses, e-mail addresses, home
 * paths, host names, tokens and passwords — sent through the real ingest (POST /telemetry) as
 * today's scripts send them, for tests/e2e/privacy.spec.ts to look for on every page, API
 * answer, feed and public rollup. The e2e global setup sends them (tests/e2e/global-setup.ts).
 */

/** The app the traces are sent for (not in the catalogue: nothing else reports it). */
export const PII_APP = "pii-probe";

/** Strings that must not appear anywhere public (each occurs in the traces below). */
export const PII = [
  "203.0.113.77",
  "2001:db8:85a3::8a2e:370:7334",
  "de:ad:be:ef:00:01",
  "alice.jones@example.com",
  "/home/alice",
  "alice",
  "nas.home.lan",
  "pve-node7.corp.example.net",
  "ghp_Zx9Y8w7V6u5T4s3R2q1P0oNmLkJiHgFeDcBa",
  "hunter2-Secret",
  "s3cr3tT0ken",
  "AKIAIOSFODNN7EXAMPLE",
  "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
] as const;

const COMMANDS = [
  "curl -fsSL -u alice:hunter2-Secret https://nas.home.lan:8443/share/releases/latest?token=s3cr3tT0ken -o /tmp/tmp.Qw3rTy12/app.tgz",
  "scp /home/alice/.ssh/id_ed25519 root@pve-node7.corp.example.net:/root/ && ping -c1 203.0.113.77",
  "git clone https://ghp_Zx9Y8w7V6u5T4s3R2q1P0oNmLkJiHgFeDcBa@github.com/alice/private.git && git config user.email alice.jones@example.com",
  "DB_PASSWORD=hunter2-Secret AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE ./install.sh --sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  "ip -6 addr add 2001:db8:85a3::8a2e:370:7334/64 dev eth0 && ip link set dev eth0 address de:ad:be:ef:00:01",
];

/** The output after the head: everything at once, as a verbose command prints it. */
const OUTPUT = `Connecting to nas.home.lan (203.0.113.77)… user alice.jones@example.com, home /home/alice
token=s3cr3tT0ken key=AKIAIOSFODNN7EXAMPLE ghp_Zx9Y8w7V6u5T4s3R2q1P0oNmLkJiHgFeDcBa
inet6 2001:db8:85a3::8a2e:370:7334 ether de:ad:be:ef:00:01 host pve-node7.corp.example.net`;

/**
 * The event bodies: each command fails twice (two hosts), once with the full trace and once
 * shortened. Exit code 1, not the 22 a failing curl gives: these ten failures land in the
 * current hour, and the e2e data's seeded incident (github-http-22, yesterday 14:00–18:59) is
 * code 22. Before incident windows were split at quiet stretches (docs/INSIGHTS.md, "No
 * bridging across quiet hours") the scan joined the two for some layouts of the generated runs
 * and the seeded incident read "ongoing"; the unit test keeps that case, and the probe stays
 * out of the seeded incident's code.
 */
export function piiEvents(): string[] {
  return COMMANDS.flatMap((command, i) =>
    [0, 1].map((n) =>
      JSON.stringify({
        random_id: `pii-${i}-${n}`,
        execution_id: `pii-${i}-${n}`,
        nsapp: PII_APP,
        type: "lxc",
        status: "failed",
        exit_code: 1,
        install_duration: 40,
        os_type: "debian",
        os_version: "13",
        cpu_model: "Intel Core i5 alice",
        repo_source: "ProxmoxVE",
        repo_slug: "community-scripts/ProxmoxVE",
        error: `exit_code=1 | General error | at line ${31 + i}: ${command}${n === 0 ? `\n---\n${OUTPUT}` : ""}`,
      }),
    ),
  );
}

/** Sends the events to a PocketBase's POST /telemetry; throws unless each is stored. */
export async function sendPiiEvents(pbUrl: string): Promise<void> {
  for (const body of piiEvents()) {
    const res = await fetch(`${pbUrl}/telemetry`, { method: "POST", headers: { "content-type": "application/json" }, body });
    if (res.status !== 201) throw new Error(`POST /telemetry answered ${res.status}: ${await res.text()}`);
  }
}
