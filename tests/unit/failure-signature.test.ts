/**
 * The failure signature (pocketbase/pb_hooks/telemetry-signature.cjs): which command failed, at
 * which line, normalised so that one cause groups together and nothing private is left — the
 * signature is public, the trace is not.
 */
import { describe, expect, it } from "vitest";
import ingest from "../../pocketbase/pb_hooks/telemetry-ingest.cjs";
import signature from "../../pocketbase/pb_hooks/telemetry-signature.cjs";

const trace = (command: string, line = "31", output = "") => `exit_code=22 | curl: HTTP error (4xx/5xx) | at line ${line}: ${command}${output ? `\n---\n${output}` : ""}`;

describe("signatureOf reads the head upstream's build_error_string writes", () => {
  it("at line L, command without a line, the shortened retry's line '?', and heads without a command", () => {
    expect(signature.signatureOf(trace("curl -fsSL https://api.github.com/repos/a/b/releases/latest", "31", "curl: (22) 404"))).toEqual({
      line: 31,
      command: "curl -fsSL https://…/releases/latest",
    });
    expect(signature.signatureOf("exit_code=1 | General error | command: ./install.sh")).toEqual({ line: 0, command: "./install.sh" });
    expect(signature.signatureOf("exit_code=1 | General error | at line ?: ./install.sh")).toEqual({ line: 0, command: "./install.sh" });
    expect(signature.signatureOf("exit_code=130 | Script terminated by user (SIGINT)")).toEqual({ line: 0, command: "" });
    expect(signature.signatureOf("Unable to locate package")).toEqual({ line: 0, command: "" });
    expect(signature.signatureOf("")).toEqual({ line: 0, command: "" });
    expect(signature.signatureOf(null)).toEqual({ line: 0, command: "" });
  });

  it("takes the command from the head only, never from the output after ---", () => {
    const sig = signature.signatureOf(trace("$STD apt-get install -y jellyfin", "42", "at line 9: rm -rf /home/alice\nE: broken"));
    expect(sig).toEqual({ line: 42, command: "$STD apt-get install -y jellyfin" });
  });

  it("flattens a command that spans lines and cuts it to COMMAND_MAX characters", () => {
    expect(signature.signatureOf(trace("bash -c '\n  make\n  make install'")).command).toBe("bash -c ' make make install'");
    const long = signature.signatureOf(trace(`echo ${"word ".repeat(100)}`)).command;
    expect(long.length).toBe(signature.COMMAND_MAX);
    expect(long.endsWith("…")).toBe(true);
  });
});

describe("normaliseCommand groups one cause and keeps nothing private", () => {
  const cases: [string, string][] = [
    // versions, numbers, hashes, temp paths
    ["$STD apt-get install -y php8.2-fpm jellyfin=10.9.11-1 >/dev/null 2>&1", "$STD apt-get install -y php<ver>-fpm jellyfin=<ver>-<n> >/dev/null 2>&1"],
    ["wget https://github.com/x/y/releases/download/v1.4.2/app_1.4.2_amd64.deb", "wget https://…/v<ver>/app_<ver>_amd64.deb"],
    ["pct exec 105 -- systemctl restart app.service", "pct exec <n> -- systemctl restart app.service"],
    ["git checkout 3f9a2c1d7e", "git checkout <hash>"],
    ["cp app.conf /tmp/tmp.XyZ123abc/app.conf", "cp app.conf /tmp/<tmp>"],
    ["tar -xzf app.tar.gz -C /opt/app", "tar -xzf app.tar.gz -C /opt/app"],
    // addresses and host names
    ["ping -c1 192.168.1.20 && ping fe80::1 && ip link set aa:bb:cc:dd:ee:ff up", "ping -c1 <ip> && ping <ip> && ip link set <mac> up"],
    ["mount -t nfs 10.0.0.5:/export /mnt/media", "mount -t nfs <ip>:/export /mnt/media"],
    ["curl -fsSL http://nas.home.lan:8080/share/file.tar.gz?sig=abc", "curl -fsSL http://…/file.tar.gz"],
    ["psql -h db.example.com -U app", "psql -h <host> -U app"],
    // people
    ["ssh alice@pve01 true", "ssh <user>@<host> true"],
    ["git config user.email bob.smith@example.org", "git config user.email <email>"],
    ["curl -u alice:pw https://x.org/f && sudo -u postgres psql", "curl -u <secret> https://… && sudo -u <user> psql"],
    ["cp /home/alice/.ssh/id_rsa /root/.ssh/", "cp /home/<user>/.ssh/id_rsa /root/.ssh/"],
    ["ls ~carol/backups", "ls ~<user>/backups"],
    // secrets
    ["DB_PASSWORD=hunter2 ./install.sh --api-key abc123 --token $TOKEN", "DB_PASSWORD=<secret> ./install.sh --api-key <secret> --token $TOKEN"],
    ["mysql -u root -phunter2 -e 'CREATE DATABASE app'", "mysql -u root -p<secret> -e 'CREATE DATABASE app'"],
    ["curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig' https://x.example.com/api", "curl -H 'Authorization: <secret>' https://…"],
    ["git clone https://ghp_abcdefghijklmnopqrstuvwxyz0123@github.com/me/private.git", "git clone https://…/private.git"],
    ["export GH=ghp_abcdefghijklmnopqrstuvwxyz0123", "export GH=<token>"],
    ["echo aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY > key.txt", "echo <token> > key.txt"],
    ["docker run -e UUID=123e4567-e89b-12d3-a456-426614174000 app", "docker run -e UUID=<uuid> app"],
  ];
  for (const [raw, want] of cases) it(raw, () => expect(signature.normaliseCommand(raw)).toBe(want));

  it("gives runs of one cause on different hosts and releases one signature", () => {
    const a = signature.signatureOf(trace("curl -fsSL https://api.github.com/repos/o/r/releases/download/v2.1.0/r-2.1.0.tgz -o /tmp/tmp.AAAAAA11/r.tgz"));
    const b = signature.signatureOf(trace("curl -fsSL https://api.github.com/repos/o/r/releases/download/v2.2.5/r-2.2.5.tgz -o /tmp/tmp.BBBBBB22/r.tgz"));
    expect(a).toEqual(b);
  });
});

describe("POST /telemetry's logic stores the signature with the error", () => {
  const base = { random_id: "r1", execution_id: "e1", nsapp: "docker", type: "lxc" };
  it("a final event derives fail_line and fail_command from the masked error; a payload cannot set them", () => {
    const checked = ingest.normalize({ ...base, status: "failed", exit_code: 22, error: trace("curl http://10.1.2.3/x"), fail_command: "rm -rf /", fail_line: 7 });
    expect(checked.event?.values).toMatchObject({ fail_line: 31, fail_command: "curl http://…" });
  });

  it("a longer error of the same final status brings its signature; a new final status without error clears it", () => {
    const short = ingest.normalize({ ...base, status: "failed", exit_code: 22, error: "exit_code=22 | curl: HTTP error (4xx/5xx)" }).event!;
    const created = ingest.merge(null, short, 1000);
    expect(created.values).toMatchObject({ fail_line: 0, fail_command: "" });
    const long = ingest.normalize({ ...base, status: "failed", exit_code: 22, error: trace("curl -fsSL https://x.org/a/b", "12", "out") }).event!;
    const again = ingest.merge({ ...created.values, status: "failed" }, long, 2000);
    expect(again.values).toMatchObject({ fail_line: 12, fail_command: "curl -fsSL https://…/b" });
    const success = ingest.normalize({ ...base, status: "success" }).event!;
    const fixed = ingest.merge({ ...created.values, ...again.values, status: "failed" }, success, 3000);
    expect(fixed.values).toMatchObject({ status: "success", error: "", fail_line: 0, fail_command: "" });
  });
});
