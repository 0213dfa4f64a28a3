/**
 * TanStack Query clients: a new one per server render (never shared between requests), one
 * for the whole browser session. Only live figures use react-query; everything else is
 * server-rendered from the data layer.
 */
import { isServer, QueryClient } from "@tanstack/react-query";

function makeQueryClient() {
  return new QueryClient({ defaultOptions: { queries: { staleTime: 55_000, refetchOnWindowFocus: false } } });
}

let browserClient: QueryClient | undefined;

export function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserClient ??= makeQueryClient();
  return browserClient;
}
