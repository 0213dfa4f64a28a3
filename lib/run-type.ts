/** How a script installs an app — the `type` every run reports; the domain's, not the URL parser's. */
export const TYPES = ["lxc", "vm", "addon", "pve"] as const;
export type RunType = (typeof TYPES)[number];
