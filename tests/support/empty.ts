// Stands in for the `server-only` marker package outside the Next.js server build.
export {};
