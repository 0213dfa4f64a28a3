/** The digest's week switcher: the week before and after (once it is over), and where to subscribe or download it. */
import Link from "next/link";
import { formatDaySpan } from "@/lib/format";
import { firstWeek, viewHref, type ViewState } from "@/lib/params";
import type { View } from "@/lib/views";
import { isoWeek, neighbours, type Week } from "@/lib/week";

const short = (w: Week) => `week ${isoWeek(w.monday).week}, ${formatDaySpan(w.monday, w.sunday)}`;

export function WeekBar({ view, path, state, week, now }: { view: View; path: string; state: ViewState; week: Week; now: Date }) {
  const { previous, next } = neighbours(week.monday, now, firstWeek(state.firstDay));
  return (
    <nav className="week-bar" aria-label="Week">
      {previous ? (
        <Link href={viewHref(view, path, state, { week: previous.monday })} prefetch={false} rel="prev" data-testid="week-previous">
          ← {short(previous)}
        </Link>
      ) : (
        <span />
      )}
      {next ? (
        <Link href={viewHref(view, path, state, { week: next.monday })} prefetch={false} rel="next" data-testid="week-next">
          {short(next)} →
        </Link>
      ) : (
        <span className="muted">the latest complete week</span>
      )}
    </nav>
  );
}
