import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // `use cache` around the data functions (lib/cached.ts). Next asks new Cache Components apps
  // to enable Partial Prefetching too (it warns on every build otherwise).
  cacheComponents: true,
  partialPrefetching: true,
  poweredByHeader: false,
  // Scripts, tests and PocketBase files are not part of the web app.
  outputFileTracingExcludes: { "*": ["pocketbase/**", "scripts/**", "tests/**", ".data/**"] },
};

export default nextConfig;
