/**
 * A page's title, its one-line description, the range bar and (where the view reads `repo=`) the
 * repository selection. A list with filters passes them
 * as `filters` (with the names of the active ones): range bar and filters then fold together on
 * a phone (FilterFold).
 */
import type { ReactNode } from "react";
import type { ViewState } from "@/lib/params";
import { utcDay } from "@/lib/time";
import type { View } from "@/lib/views";
import { REPO_LABEL, REPO_SHORT_LABEL, REPOS } from "@/lib/repo";
import { FilterFold } from "./FilterFold";
import { FilterLinks } from "./FilterLinks";
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
  const bar = <RangeBar view={props.view} path={props.path} state={props.state} today={utcDay(props.now)} />;
  // Whose runs the figures count (lib/repo.ts), on every view that reads `repo=`.
  const range = props.view.params.includes("repo") ? (
    <>
      {bar}
      <FilterLinks
        label="Repository"
        view={props.view}
        path={props.path}
        state={props.state}
        items={REPOS.map((repo) => ({ text: REPO_SHORT_LABEL[repo], title: REPO_LABEL[repo], patch: { repo }, current: props.state.repo === repo }))}
      />
    </>
  ) : (
    bar
  );
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
