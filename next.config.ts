import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The HTTP server in server/ owns ETags (over the finished answer) and compresses what it
  // holds back itself; Next.js still compresses the static files it streams.
  generateEtags: false,
  // Metadata (title, canonical, Open Graph) in <head> for every client, not streamed into the
  // body for browsers: the response cache (server/) serves one rendering to everyone, link
  // previewers included, and they read only <head>. The server holds a page back until it is
  // complete anyway, so this delays no byte.
  htmlLimitedBots: /.*/,
  // A self-contained build for containers (Dockerfile): .next/standalone with only the files
  // the server needs; `npm run build` copies dist/server.mjs beside it.
  output: "standalone",
  // Scripts, tests and PocketBase files are not part of the web app.
  outputFileTracingExcludes: { "*": ["pocketbase/**", "scripts/**", "tests/**", ".data/**"] },
};

export default nextConfig;
