/** A page's title, its one-line description and the range bar. */
import type { ReactNode } from "react";
import type { ViewState } from "@/lib/params";
import { utcDay } from "@/lib/time";
import type { View } from "@/lib/views";
import { RangeBar } from "./RangeBar";

export function PageHead(props: { title: ReactNode; lede?: ReactNode; view: View; path: string; state: ViewState; now: Date; before?: ReactNode }) {
  return (
    <>
      {props.before}
      <h1>{props.title}</h1>
      {props.lede && <p className="lede">{props.lede}</p>}
      <RangeBar view={props.view} path={props.path} state={props.state} today={utcDay(props.now)} />
    </>
  );
}
