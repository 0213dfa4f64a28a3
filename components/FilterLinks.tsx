/** A row of links that each set one filter of the view (pills like the range bar); page resets to 1. */
import Link from "next/link";
import { viewHref, type ViewState } from "@/lib/params";
import type { View } from "@/lib/views";

export interface FilterLink {
  text: string;
  /** A longer name (the link's tooltip). */
  title?: string;
  patch: Partial<ViewState>;
  current: boolean;
}

export function FilterLinks(props: { label: string; view: View; path: string; state: ViewState; items: FilterLink[]; hash?: string }) {
  return (
    <nav className="range-bar" aria-label={props.label}>
      <span className="muted">{props.label}:</span>
      <ul>
        {props.items.map((i) => (
          <li key={i.text}>
            <Link
              href={`${viewHref(props.view, props.path, props.state, { ...i.patch, page: 1 })}${props.hash ?? ""}`}
              aria-current={i.current ? "true" : undefined}
              title={i.title}
              prefetch={false}
            >
              {i.text}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
