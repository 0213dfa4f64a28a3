/** `npm run gen:sums-hook`: rewrites the hook's copy of the range sums' SQL (scripts/lib/sums-hook.ts). */
import { writeFileSync } from "node:fs";
import { SUMS_HOOK_MODULE, sumsHookModule } from "./lib/sums-hook";

writeFileSync(SUMS_HOOK_MODULE, sumsHookModule());
console.log(`wrote ${SUMS_HOOK_MODULE}`);
