import { answerRuns } from "./answer-runs";

/**
 * GET /api/v1/apps/{nsapp}/runs?range=24h&outcome=unfinished&page=1&size=50 — the app's runs,
 * newest first, optionally of one outcome (success, failed, aborted, unknown, unfinished,
 * running); never session ids or error text.
 */
export async function GET(request: Request, { params }: { params: Promise<{ nsapp: string }> }) {
  return answerRuns(request, (await params).nsapp);
}
