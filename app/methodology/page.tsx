import type { Metadata } from "next";
import Link from "next/link";
import { LIKELY_CAUSE } from "@/lib/changes/likely-cause";
import { categoryLabel, OUTSIDE_SCRIPT_CONTROL } from "@/lib/exit-codes";
import { DURATION_MIN_RUNS, DURATION_STEPS } from "@/lib/durations";
import { FACTOR_FDR, FACTOR_MIN_RATIO } from "@/lib/duration-factors";
import { TREND_MIN_DAYS, TREND_WEEKS_MAX_DAYS } from "@/lib/install-trend";
import { formatDuration } from "@/lib/format";
import { DAILY_MAX_DAYS, WEEKLY_MAX_DAYS } from "@/lib/range";
import { REPO_LABEL } from "@/lib/repo";
import { MEDIAN_MIN_RUNS, PROMOTE_MARGIN, PROMOTE_MIN_RUNS } from "@/lib/testing";
import { RATE_MIN_DECIDED } from "@/lib/stats";
import { MIN_RUNS_FLOOR } from "@/lib/views";
import { MIN_SAMPLE } from "@/lib/embed/catalog";
import { textPageMetadata } from "@/lib/meta/request";
import type { RawParams } from "@/lib/params";

export async function generateMetadata({ searchParams }: { searchParams: Promise<RawParams> }): Promise<Metadata> {
  return textPageMetadata(
    "/methodology",
    "Methodology",
    "How every figure is made: outcomes, success rates and their 95 % intervals, failure categories, regressions and their false-alarm control, the likely cause of a regression, the weekly digest, and what is public.",
    await searchParams,
  );
}

const CATEGORIES = [
  "user_aborted",
  "network",
  "timeout",
  "storage",
  "resource",
  "proxmox",
  "dependency",
  "config",
  "permission",
  "service",
  "database",
  "runtime",
  "shell",
  "signal",
  "unknown",
];

export default function MethodologyPage() {
  return (
    <main className="prose">
      <h1>How the figures are made</h1>
      <section className="panel">
        <h2>Where the data comes from</h2>
        <p>
          Every run of a Proxmox VE community script reports to a PocketBase collection: once when it starts (status <code>installing</code>) and once when it ends (
          <code>sucess</code> — the typo is in the real schema — or <code>failed</code> with an exit code). Reporting is best effort: a run whose host lost its network or was
          stopped never reports its end.
        </p>
        <p>
          Since February 2026 the scripts send every event of an install attempt (its start, progress, its end) to one address, keyed by the attempt&apos;s execution id; each
          attempt is stored once, however often an event is re-sent. When an attempt reports a second end — the scripts do so only when they know more, e.g. a repair from their
          recovery menu worked — the later one counts. Older runs were reported with the two steps above.
        </p>
      </section>
      <section className="panel">
        <h2>Outcomes</h2>
        <ul>
          <li>
            <strong>Success</strong>: status <code>sucess</code>, <code>success</code> or <code>done</code>.
          </li>
          <li>
            <strong>Failed</strong>: status <code>failed</code>. Runs reported the older way count whatever their exit code (a few report 0); since February 2026 a
            &ldquo;failed&rdquo; with exit code 0 is stored as unknown (it contradicts itself) and one with 129, 130 or 143 as aborted.
          </li>
          <li>
            <strong>Aborted</strong>: status <code>aborted</code> — the user interrupted the run (newer scripts; exit codes 129, 130, 143). Older scripts reported such runs as{" "}
            <code>failed</code> with code 130; those stay failures.
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
        <p>
          <strong>Retries are runs.</strong> When an install fails and the user retries it from the scripts&apos; recovery menu (more memory, another DNS), the retry is a new
          attempt: the apps table and every figure count the failed attempt and the retry as two runs — one failure and, if it worked, one success.
        </p>
      </section>
      <section className="panel">
        <h2>Rates and intervals</h2>
        <p>
          <strong>Success rate</strong> = successes ÷ (successes + failures); the <strong>failure rate</strong> is its complement. Aborted, unknown, unfinished and running runs
          have no verdict and are left out. Every rate comes with its 95 % Wilson score interval, which stays honest for small numbers: one failure in two runs reads “50 % (9–91
          %)”. A failure rate over time is drawn only where at least {RATE_MIN_DECIDED} runs ended either way.
        </p>
        <p>
          “Most failing” ranks apps by the <em>lower</em> bound of that interval, and lists apps with at least {MIN_RUNS_FLOOR} runs of any outcome by default (<code>min</code>,
          one click shows all), so an app needs both a high failure rate and enough runs to prove it before it tops the list.
        </p>
      </section>
      <section className="panel" id="install-time">
        <h2>Install time</h2>
        <p>
          Today&apos;s scripts send, with a run&apos;s end, how many seconds it took since it started. An app&apos;s <strong>install time</strong> is the median (p50) and 90th
          percentile (p90) of its successful runs&apos; durations over the range, shown with n, the runs it counts; <strong>time to fail</strong> is the same over its failures.
          Runs of the older protocol carry no duration and are not counted; neither are aborted, unknown or unfinished runs.
        </p>
        <p>
          Percentiles are by nearest rank: the p50 of n runs is the ⌈0.5·n⌉-th shortest. They are read from exact counts of runs per duration bucket, so a figure is that run&apos;s
          duration <em>rounded down to its bucket</em>:{" "}
          {DURATION_STEPS.map(([from, width], i) => {
            const to = DURATION_STEPS[i + 1]?.[0];
            return `${width === 1 ? "to the second" : `to ${formatDuration(width)}`} ${to === undefined ? `from ${formatDuration(from)} up to 24 h` : from === 0 ? `below ${formatDuration(to)}` : `from ${formatDuration(from)} to ${formatDuration(to)}`}`;
          }).join("; ")}
          . So a figure is never more than 5 s below the exact percentile under a minute, at most 8.3 % below it up to 2 hours and 12.5 % beyond; pages round further for reading
          (“typically 4 min”), and an app with fewer than {DURATION_MIN_RUNS} timed successes gets no such sentence. The exactness tests compute every percentile from the raw runs
          and compare.
        </p>
        <p>
          An app page&apos;s <strong>install time per week</strong> (ranges of {TREND_MIN_DAYS} to {TREND_WEEKS_MAX_DAYS} days) or <strong>per month</strong> (up to{" "}
          {WEEKLY_MAX_DAYS} days) reads each point&apos;s percentiles over that point&apos;s own days, the same way: percentiles do not add up, so no point is derived from others.
          The first and last points may cover part of a week or month (marked partial); a point with fewer than {DURATION_MIN_RUNS} timed successes shows no value.
        </p>
        <h3 id="install-time-factors">Where install time differs</h3>
        <p>
          An app page breaks its successful runs&apos; install time down by <strong>cores</strong>, <strong>RAM</strong>, <strong>install method</strong> and{" "}
          <strong>OS version</strong> (each as the run reported it; &ldquo;not reported&rdquo; is a value too), and shows a factor only where it makes a difference. Each
          value&apos;s runs are compared with the app&apos;s other runs (every other value of that factor) when both have at least {DURATION_MIN_RUNS}: a Mann–Whitney rank-sum test
          on the bucketed durations (runs in one bucket are ties sharing their mid-rank; tie-corrected variance, normal approximation with continuity correction, two-sided), then
          Benjamini–Hochberg over every value tested for the app, all four factors together, at {FACTOR_FDR * 100} % false discoveries. A value <strong>differs</strong> when its
          adjusted p is at most {FACTOR_FDR} and its median is at least {FACTOR_MIN_RATIO}× the others&apos; (or they are {FACTOR_MIN_RATIO}× its own) even after widening the
          smaller median by its bucket&apos;s width, so that neither chance nor bucket rounding makes the gap. Factors are not adjusted for one another: one that moves with another
          (a script's default RAM comes with its default core count) differs with it. The tables show every value of such a factor with its n, median and the others&apos; median.
          The figures are exact in the same bucket precision as above: a factor&apos;s histogram is the sum of exact rollup counts. These counts are kept per day only, so a 24-hour
          range counts its two calendar days (UTC), and the API says which days (<code>install_time.by_factor.from</code>, <code>to</code>).
        </p>
      </section>
      <section className="panel" id="repository">
        <h2>Which repository</h2>
        <p>
          Today&apos;s scripts say where they were run from: the official repository, the development repository (scripts in testing) or a fork. Every figure counts{" "}
          <strong>{REPO_LABEL.official.toLowerCase()}</strong> by default — runs of the older protocol name no repository; they predate the development repository&apos;s reporting
          and count as official. Development and fork runs never move these figures; the Repository filter of each page (<code>repo=dev</code>, <code>repo=fork</code> or{" "}
          <code>repo=all</code> in a URL, an API call, a widget, badge or feed) shows them instead. Each selection is counted exactly, like the rest: a run is counted once under
          its own repository and once under “all”.
        </p>
      </section>
      <section className="panel" id="testing">
        <h2>Scripts in testing</h2>
        <p>
          The development repository&apos;s scripts with enough runs for a verdict are listed on <Link href="/apps#testing">/apps</Link> (all of them: API{" "}
          <code>/api/v1/testing</code>) with their finished runs and failure rate. A script is <strong>ready to promote</strong> when at least {PROMOTE_MIN_RUNS} of its runs
          finished either way and the upper bound of its failure rate&apos;s 95 % Wilson interval is at most the official repository&apos;s median app failure rate plus{" "}
          {PROMOTE_MARGIN * 100} percentage points: with 95 % confidence it fails at most that much more often than a typical official script (a non-inferiority test). The median
          is over apps with at least {MEDIAN_MIN_RUNS} finished official runs in the same range (official: from the official repository, or of the older protocol, which names
          none): at a typical 1 % failure rate an app with fewer runs often shows none, and a median over such apps would sink towards 0. “Too few runs” is no verdict either way.
          Beside the runs stand the <strong>sessions</strong> they came from: a session is one start of a script on a host (its <code>random_id</code>, never published), and a
          retry from the scripts&apos; recovery menu is a second run of the same session — so 40 runs from 3 sessions are a few testers retrying, not 40 hosts agreeing. Counted
          exactly: the distinct sessions among the script&apos;s finished development runs in the range.
        </p>
      </section>
      <section className="panel" id="categories">
        <h2>Categories and the actionable failure rate</h2>
        <p>
          Every failure carries the category of its exit code in the scripts&apos; table, by the meaning the code had on the day of the run (codes were reused). Some categories lie
          outside a script&apos;s control; the <strong>actionable failure rate</strong> leaves their failures out of both the failures and the runs counted.
        </p>
        <ul>
          {CATEGORIES.map((c) => (
            <li key={c}>
              {categoryLabel(c)} — {OUTSIDE_SCRIPT_CONTROL.has(c) ? "outside the script's control" : "the script's to fix"}
            </li>
          ))}
        </ul>
        <p>
          Every list of exit codes — the ranking, an app&apos;s exit codes, the exit-code widget — leaves <strong>user aborts</strong> out by default (aborted runs, and failures
          with codes 129, 130 and 143): they say nothing about a script. One click (<code>aborts=include</code>) includes them. Outcome counts and rates are not affected: a failure
          with code 130 from an older script stays a failure.
        </p>
      </section>
      <section className="panel" id="commands">
        <h2>The command that failed</h2>
        <p>
          Today&apos;s scripts start a failure&apos;s error text with <code>exit_code=N | explanation | at line L: command</code>, then the command&apos;s output. When a run is
          stored (at <code>POST /telemetry</code>, through the records API and by the history import) the server reads the command and its line from that first part only — never
          from the output — and keeps a <strong>normalised</strong> copy, the run&apos;s <em>signature</em>: URLs keep their scheme and last two path segments (
          <code>https://…/releases/latest</code>); versions become <code>&lt;ver&gt;</code>, other numbers <code>&lt;n&gt;</code>, hashes <code>&lt;hash&gt;</code>, UUIDs{" "}
          <code>&lt;uuid&gt;</code>, long random strings and known token formats <code>&lt;token&gt;</code>, temporary paths <code>/tmp/&lt;tmp&gt;</code>, IP and MAC addresses{" "}
          <code>&lt;ip&gt;</code> and <code>&lt;mac&gt;</code>, host names <code>&lt;host&gt;</code>, e-mail addresses <code>&lt;email&gt;</code>, user names in home paths and{" "}
          <code>user@host</code> <code>&lt;user&gt;</code>, and the value after a password, token, secret, key or auth variable or flag <code>&lt;secret&gt;</code>; at most 200
          characters. Failures of one cause on different hosts and releases then share one signature, and counts per signature are exact rollups like every other figure.
        </p>
        <p>
          An app&apos;s page lists its failures by signature with their share of all its failures in the range, the first and last day (hour, for 24 hours) one failed there, and
          the exit codes they ended with. Older scripts sent no command: their failures count in the total but under no command (the page says how many named one). A regression
          names the command <em>most</em> of its failures failed at — more than half of them inside its window — or none: “since 2026-12-02 mostly{" "}
          <code>curl -fsSL https://…/releases/latest</code> at line 31”.
        </p>
      </section>
      <section className="panel" id="hardware">
        <h2>Hardware and platform</h2>
        <p>
          Today&apos;s scripts report the host&apos;s GPU passthrough (<code>igpu</code>, <code>dgpu</code>, <code>vgpu</code>, <code>none</code>, <code>unknown</code>), GPU
          vendor, CPU vendor, architecture (<code>amd64</code>, <code>arm64</code>) and platform. Values are counted as stored, lower-cased with surrounding blanks removed; an
          empty value is <em>not reported</em>. Runs of the older protocol carry none of these fields: they count as “not reported” in every table, so each table&apos;s shares
          (runs of the value ÷ all runs in the range) sum to 100 % and n is never silently smaller. Counts are exact rollups like every other figure. The failure rate of a value is
          failures ÷ (successes + failures) of its runs, with the Wilson 95 % interval and its n (those decided runs). Per app on the app page; over all apps (with the type filter)
          on <a href="/os#hardware">/os</a>, since GPU, CPU and architecture describe the host as the OS does. Figures count every repository&apos;s runs, like the OS and PVE
          tables.
        </p>
      </section>
      <section className="panel" id="insights">
        <h2>Regressions, incidents and what is unusual</h2>
        <p>
          <strong>Regressions per app.</strong> For each app, every run of consecutive days (hours within the last three days) is compared with the app&apos;s other days by a
          binomial likelihood-ratio test: “this window has its own failure rate” against “one rate throughout”, corrected for the day-to-day wander of real rates (overdispersion)
          and for the many windows an app could have chosen. A window counts with at least 5 failures beyond what the usual rate predicts, the odds of failing at least doubled and
          at least 30 runs of baseline. False alarms are controlled across all scripts together (Benjamini–Hochberg at a 1 % false-discovery rate, counting every script of the
          catalogue). A regression stays <em>open</em> until the runs after it show a significant recovery. For each, the exit codes that rose and the environment it is confined to
          (a PVE or OS version) are named when they stand out significantly.
        </p>
        <p>
          <strong>Cross-app incidents.</strong> The same scan on each exit code&apos;s (and category&apos;s) share of all runs, over windows of at most three days: a mirror, DNS or
          a shared helper that breaks makes one code jump across apps at once. It is an incident when at least three apps are significantly affected (each against its own
          baseline); codes of the same outage are merged. A window is split where it holds a stretch of runs far quieter than its own rate (binomial tail below 10⁻⁶ by Chernoff's
          bound), so an outage that ended is not joined to a later burst of the same code and read as ongoing. The last three days are read hour by hour, so an incident shows
          minutes after its runs arrive.
        </p>
        <p>
          <strong>What is unusual about an app&apos;s failures.</strong> Each environment trait (OS and version, PVE version, install method, install type, privileged or not,
          resources below the script default, and the <a href="#hardware">hardware and platform</a> values: GPU passthrough, GPU and CPU vendor, architecture, platform) is tested
          with Fisher&apos;s exact test against the app&apos;s other runs, with Holm&apos;s correction over every value tested: the chance of any spurious sentence on an app&apos;s
          page is at most 1 %. A hardware value is compared with the other runs that <em>reported</em> that field (runs of the older protocol report none and are from another
          period), and “not reported” and “unknown” are never named. Traits are associations, tested one at a time: host features that come together (a discrete GPU is mostly an
          NVIDIA card, on servers with AMD or Xeon CPUs) can be named together; the strongest comes first. A trait is named only with at least 5 failures and at least twice the
          failure rate of the other runs; nothing is shown when nothing is significant.
        </p>
        <p>
          <strong>Failure-rate change against the previous period</strong> (the apps table): for each row — one app and install type, on the chosen OS with an OS filter — a
          two-proportion z test when both periods have at least 10 decided runs, Benjamini–Hochberg at 5 % over every app and type with runs in the range. <em>Newly failing</em>:
          significantly up and at least doubled; <em>recovered</em>: significantly down and at least halved. The table shows the change in percentage points; the API gives it as a
          fraction like every rate (<code>rate_change.change</code> 0.018 = +1.8 points).
        </p>
        <p>
          Scans cover the range and 28 days before it (at most the last 180 days). The seeded test data (regressions of different sizes, one confined to a PVE version, one to an OS
          version, one still open, and an incident across 8 apps) is found with start and end within one day or hour in every test run.
        </p>
      </section>
      <section className="panel" id="changes">
        <h2>Which change is the likely cause</h2>
        <p>
          The commits of the scripts&apos; repository are kept as data: each commit&apos;s changed files are mapped to the apps they belong to (<code>ct/</code>,{" "}
          <code>install/</code>, <code>vm/</code>, <code>tools/</code>, the app&apos;s website entry) or to the shared libraries (<code>misc/*.func</code>) that serve every app of
          a type. For a regression, the dashboard lists the changes to the app&apos;s scripts that reached users from {LIKELY_CAUSE.lookbackHours} hours before the
          regression&apos;s first hour or day to the end of it. A change reached users when it was pushed to the repository&apos;s default branch (the scripts are downloaded from
          there at every install); when only its commit time is known, that time. A change counts if it changed the app&apos;s own script or a shared library the app loads (the LXC
          libraries for containers, the VM libraries for VMs, the rest for every script). Changes to the app&apos;s website entry are never suspects: it plays no part when a script
          runs.
        </p>
        <p>
          Each change gets a score — how closely it is tied to the app times how recent it is — and the list is ordered by it: 1 for the app&apos;s own script (
          {LIKELY_CAUSE.headerWeight} for its banner alone), divided by the square root of the number of apps the commit touched (a repository-wide edit says little about one app);{" "}
          {LIKELY_CAUSE.sharedWeight} for a shared library; halved for every {LIKELY_CAUSE.halfLifeHours} hours between the change and the regression&apos;s start. The first is the{" "}
          <strong>likely cause</strong>, shown on{" "}
          <Link prefetch={false} href="/regressions">
            regressions
          </Link>{" "}
          and in the API and alerts with its commit link. It is a suspect, not a proof: a regression can begin with no change at all (an upstream download, a new OS release — the
          incidents), and then nothing is named. On the seeded test data (a causing change before each seeded regression, and unrelated ones: another app&apos;s change, the website
          entry, a VM library before a container&apos;s regression, an old change, changelog commits) the likely cause was the seeded change for every regression found, and no
          unrelated change was named first.
        </p>
        <p>
          <strong>Report on GitHub</strong> opens the scripts repository&apos;s issue form prefilled with the regression&apos;s window, the failure rate before and since with n,
          the exit codes that rose, the environment split, the likely change and a link back to the figures — a link, nothing is sent until you submit it.
        </p>
      </section>
      <section className="panel" id="digest">
        <h2>Weekly digest</h2>
        <p>
          The digest compares a calendar week — Monday to Sunday, UTC, shown once it is over — with the week before, each with the same denominator as every rate here: failures ÷
          (successes + failures) of that week. An app is <strong>newly failing</strong> when its failure rate rose significantly (pooled two-proportion test with at least 10
          decided runs in each week — two weeks without a single failure have nothing to test — Benjamini–Hochberg at 5 % over every app compared) and at least doubled;{" "}
          <strong>recovered</strong> when it fell significantly to half or less, or its regression ended during the week; <strong>still failing</strong> when a regression (a rise
          above the app’s own baseline) was still going on the Sunday, or when the lower bound of its failure rate was at least 10 % in both weeks.
        </p>
      </section>
      <section className="panel">
        <h2>Time and freshness</h2>
        <p>
          Days are UTC days of the run&apos;s start. “Last 30 days” is today so far and the 29 days before it; the change is measured against the 30 days before that. “Last 24
          hours” is the current UTC hour so far and the 23 before it; “all time” runs from the first day with data. Charts and series have one point per hour for the last 24 hours,
          per day for ranges up to {DAILY_MAX_DAYS} days, per week (Monday to Sunday) up to {WEEKLY_MAX_DAYS} days and per month beyond — presets and custom ranges alike. A point
          not over yet, or only partly inside the range, is marked partial.
        </p>
        <p>
          Figures are at most a minute old when the dashboard sends them: it keeps what it read for 30 seconds, refreshes it in the background, and never serves it once a minute
          old. Every answer says when its figures were read (the <code>Last-Modified</code> header; <code>data_as_of</code> in the API). A cache between you and the dashboard may
          keep a copy a little longer, and its headers say so. Complete weeks (the digest) are refreshed every 10 minutes. When the statistics source fails, the last good figures
          stay on the page with a notice saying when they are from. The headline figures of the overview refresh every minute.
        </p>
      </section>
      <section className="panel">
        <h2>Labels</h2>
        <p>
          Scripts report the same thing in several spellings; the dashboard shows one label each — in every breakdown, in the lists of runs and in the API alike: Ubuntu
          &quot;2404&quot; is 24.04, OS names are lower case, and missing values (&quot;n.d.&quot;, blanks, PVE &quot;not found&quot;) are &quot;not reported&quot;.
        </p>
      </section>
      <section className="panel">
        <h2>Exactness</h2>
        <p>
          Counts come from rollup tables kept inside PocketBase by database triggers, in the same transaction as every write of a run, so they equal a count over the raw records at
          every moment. The test suite checks this against SQL after creates, updates and deletes.
        </p>
      </section>
      <section className="panel" id="previews">
        <h2>Search engines, link previews and the README chart</h2>
        <p>
          Each page tells search engines and link previews what it shows, from the same figures: a description such as “jellyfin: 17,337 installs in 30 days, 92.6 % succeeded (n
          16,987)” — a success rate only from {MIN_SAMPLE} finished runs, as on badges — and a preview image with the runs per day by outcome. Only a page&apos;s default view, its
          address without a query string, is offered for indexing; other ranges, filters, sorts and further pages are views of it and marked not to be indexed, as are apps and exit
          codes without runs in the last 90 days. The sitemap lists exactly the indexed pages, each with the last day it had runs.
        </p>
        <p>
          The chart for READMEs (<code>/chart/&lt;app&gt;.svg</code>) draws the app&apos;s runs per day by outcome, or its failure rate with the 95 % Wilson interval where a day
          (or a group of days, for apps with few runs) has at least {MIN_SAMPLE} finished runs — the method of the app page&apos;s charts.
        </p>
      </section>
      <section className="panel" id="privacy">
        <h2>Privacy: what is public</h2>
        <p>
          Raw records are not public. What this site and its{" "}
          <Link prefetch={false} href="/api">
            API
          </Link>{" "}
          publish:
        </p>
        <ul>
          <li>counts of runs per day (per hour for the last three days) by outcome, app, install type, exit code, OS and version, Proxmox VE version and install method;</li>
          <li>
            counts of an app&apos;s runs by failure signature: the failing command <strong>normalised</strong> as described under <a href="#commands">The command that failed</a>,
            and its script line;
          </li>
          <li>
            an app&apos;s recent runs, one at a time: when it started <strong>to the minute</strong>, its outcome, exit code, OS and version, Proxmox VE version and install method.
          </li>
        </ul>
        <p>
          Never published: a run&apos;s record id, its session id (<code>random_id</code>), its error text (which can carry host details), its resources one by one, or anything
          about the host beyond the fields above; of the error text, only the normalised signature. Exit codes are explained from the scripts&apos; public table instead of the
          error text. The repository&apos;s SECURITY.md lists the access rules of the data store.
        </p>
      </section>
    </main>
  );
}
