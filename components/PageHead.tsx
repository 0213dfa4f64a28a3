/**
 * A page's title, its one-line description and the range bar. A list with filters passes them
 * as `filters` (with the names of the active ones): range bar and filters then fold together on
 * a phone (FilterFold).
 */
import type { ReactNode } from "react";
import type { ViewState } from "@/lib/params";
import { utcDay } from "@/lib/time";
import type { View } from "@/lib/views";
import { FilterFold } from "./FilterFold";
import { RangeBar } from "./RangeBar";

export function PageHead(props: {
  title: ReactNode;
  lede?: ReactNode;
  view: View;
  path: string;
  state: ViewState;
  now: Date;
  before?: ReactNode;
  filters?: { active: string[]; form: ReactNode };
}) {
  const range = <RangeBar view={props.view} path={props.path} state={props.state} today={utcDay(props.now)} />;
  return (
    <>
      {props.before}
      <h1>{props.title}</h1>
      {props.lede && <p className="lede">{props.lede}</p>}
      {props.filters ? (
        <FilterFold active={props.filters.active}>
          {range}
          {props.filters.form}
        </FilterFold>
      ) : (
        range
      )}
    </>
  );
}
