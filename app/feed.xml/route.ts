import { siteFeed } from "@/lib/feeds/respond";

/** GET /feed.xml — Atom: regressions, cross-app incidents and weekly digests, newest first (lib/feeds). */
export function GET(request: Request) {
  return siteFeed(request);
}
