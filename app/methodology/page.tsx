import type { Metadata } from "next";

export const metadata: Metadata = { title: "Methodology" };

export default function MethodologyPage() {
  return (
    <main className="prose">
      <h1>How the figures are made</h1>
      <section className="panel">
        <h2>Where the data comes from</h2>
        <p>
          Every run of a Proxmox VE community script reports to a PocketBase collection: once when it starts (status
          <code>installing</code>) and once when it ends (<code>sucess</code> — the typo is in the real schema — or{" "}
          <code>failed</code> with an exit code). Reporting is best effort: a run whose host lost its network or was stopped
          never reports its end.
        </p>
      </section>
      <section className="panel">
        <h2>Outcomes</h2>
        <ul>
          <li>
            <strong>Success</strong>: status <code>sucess</code>, <code>success</code> or <code>done</code>.
          </li>
          <li>
            <strong>Failed</strong>: status <code>failed</code>, whatever its exit code (a few report 0).
          </li>
          <li>
            <strong>Aborted</strong>: status <code>aborted</code> — the user interrupted the run (newer scripts; exit codes 129,
            130, 143). Older scripts reported such runs as <code>failed</code> with code 130; those stay failures.
          </li>
          <li>
            <strong>Running</strong>: still <code>installing</code>, started less than an hour ago.
          </li>
          <li>
            <strong>Unfinished</strong>: still <code>installing</code> after an hour — never counted as a success or a failure.
          </li>
          <li>
            <strong>Unknown</strong>: status <code>unknown</code> (or anything unrecognised), e.g. runs a cleanup job closed.
          </li>
        </ul>
      </section>
      <section className="panel">
        <h2>Rates and intervals</h2>
        <p>
          <strong>Success rate</strong> = successes ÷ (successes + failures); the <strong>failure rate</strong> is its complement.
          Aborted, unknown, unfinished and running runs have no verdict and are left out. Every rate comes with its 95 % Wilson
          score interval, which stays honest for small numbers: one failure in two runs reads “50 % (9–91 %)”.
        </p>
        <p>
          “Most failing” ranks apps by the <em>lower</em> bound of that interval, so an app needs both a high failure rate and
          enough runs to prove it before it tops the list.
        </p>
        <p>
          A <strong>failure-rate jump</strong> is marked on an app’s chart where, for consecutive days (hours in the 24-hour view), the
          lower bound of that period’s failure rate exceeds twice the app’s usual rate (and the usual rate plus 5 points).
        </p>
      </section>
      <section className="panel">
        <h2>Time</h2>
        <p>
          Days are UTC days of the run’s start. “Last 30 days” is today so far and the 29 days before it; the change is
          measured against the 30 days before that. “Last 24 hours” is the current UTC hour so far and the 23 before it, shown
          hour by hour and compared with the 24 hours before; it moves on with the clock.
        </p>
      </section>
      <section className="panel" id="digest">
        <h2>Weekly digest</h2>
        <p>
          The digest compares a calendar week — Monday to Sunday, UTC, shown once it is over — with the week before, each
          with the same denominator as every rate here: failures ÷ (successes + failures) of that week. An app is{" "}
          <strong>newly failing</strong> when its failure rate rose significantly (pooled two-proportion test with at least 10
          decided runs in each week, Benjamini–Hochberg at 5 % over every app compared) and at least doubled;{" "}
          <strong>recovered</strong> when it fell significantly to half or less, or its regression ended during the week;{" "}
          <strong>still failing</strong> when a regression (a rise above the app’s own baseline) was still going on the Sunday, or
          when the lower bound of its failure rate was at least 10 % in both weeks.
        </p>
      </section>
      <section className="panel">
        <h2>Exactness</h2>
        <p>
          Counts come from rollup tables kept inside PocketBase by database triggers, in the same transaction as every write of a
          run, so they equal a count over the raw records at every moment. The test suite checks this against SQL after creates,
          updates and deletes.
        </p>
      </section>
      <section className="panel">
        <h2>Privacy</h2>
        <p>
          Raw records are not public. The dashboard never shows a run’s session id or its error text (which can carry host
          details); exit codes are explained from the scripts’ public table. Only counts per day (per hour for the last three
          days) and dimension are published —
          see SECURITY.md in the repository for the access rules.
        </p>
      </section>
    </main>
  );
}
