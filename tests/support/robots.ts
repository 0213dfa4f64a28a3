/**
 * robots.txt as crawlers read it (RFC 9309, as Google and Bing implement it): the group for
 * `*`, rules matched against path and query, `*` any characters and `$` the end; the longest
 * matching rule decides, Allow winning a tie; no rule matching means allowed.
 */
export interface RobotsRules {
  rules: { allow: boolean; pattern: string }[];
  sitemaps: string[];
}

export function parseRobots(text: string): RobotsRules {
  const out: RobotsRules = { rules: [], sitemaps: [] };
  let agents: string[] = [];
  let inRules = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, "").trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    const field = key.toLowerCase();
    if (field === "sitemap") out.sitemaps.push(value);
    else if (field === "user-agent") {
      if (inRules) agents = [];
      inRules = false;
      agents.push(value);
    } else if ((field === "allow" || field === "disallow") && agents.includes("*")) {
      inRules = true;
      if (value) out.rules.push({ allow: field === "allow", pattern: value });
    } else if (field === "allow" || field === "disallow") inRules = true;
  }
  return out;
}

function matches(pattern: string, path: string): boolean {
  const anchored = pattern.endsWith("$");
  const body = (anchored ? pattern.slice(0, -1) : pattern)
    .split("*")
    .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}${anchored ? "$" : ""}`).test(path);
}

/** Whether a crawler may fetch `pathAndQuery` ("/apps?sort=runs"). */
export function allowed(robots: RobotsRules, pathAndQuery: string): boolean {
  let best: { allow: boolean; length: number } | null = null;
  for (const r of robots.rules) {
    if (!matches(r.pattern, pathAndQuery)) continue;
    if (!best || r.pattern.length > best.length || (r.pattern.length === best.length && r.allow)) best = { allow: r.allow, length: r.pattern.length };
  }
  return best?.allow ?? true;
}
