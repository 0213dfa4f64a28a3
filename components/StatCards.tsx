/** Headline figures as a definition list of cards. */
export interface Stat {
  label: string;
  value: string;
  hint?: string;
  testId: string;
}

export function StatCards({ stats }: { stats: Stat[] }) {
  return (
    <dl className="cards">
      {stats.map((s) => (
        <div className="card" key={s.testId}>
          <dt>{s.label}</dt>
          <dd data-testid={s.testId}>{s.value}</dd>
          {s.hint && <dd className="hint">{s.hint}</dd>}
        </div>
      ))}
    </dl>
  );
}
