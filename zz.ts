import { insightRecallLines } from "./scripts/lib/insights-bench";
const lines = await insightRecallLines({ days: 90, runsPerDay: 11111, seeds: 5, end: new Date(), log: (m) => console.error(m) });
for (const l of lines) console.log(l);
