import { answerRuns } from "../runs/answer-runs";

/** GET /api/v1/apps/{nsapp}/failed-runs?range=30d&page=2&size=50 — `runs` with outcome=failed. */
export async function GET(request: Request, { params }: { params: Promise<{ nsapp: string }> }) {
  return answerRuns(request, (await params).nsapp, "failed");
}
