/** `npm run gen:changes-hook`: rewrites the hook's copy of the path → app mapping (scripts/lib/changes-hook.ts). */
import { writeFileSync } from "node:fs";
import { HOOK_PATHS_MODULE, hookPathsModule } from "./lib/changes-hook";

writeFileSync(HOOK_PATHS_MODULE, hookPathsModule());
console.log(`wrote ${HOOK_PATHS_MODULE}`);
