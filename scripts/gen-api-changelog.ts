/** `npm run gen:api-changelog`: writes docs/API-CHANGELOG.md from lib/api-changelog.ts (the one source). */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { changelogMarkdown } from "../lib/api-changelog";

const file = fileURLToPath(new URL("../docs/API-CHANGELOG.md", import.meta.url));
writeFileSync(file, changelogMarkdown());
console.log("wrote docs/API-CHANGELOG.md");
