"use client";

import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { AppRouter } from "@/server/routers/_app";

/** Typed hooks for the studio API: `const trpc = useTRPC(); useQuery(trpc.runs.get.queryOptions(...))`. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export const TRPC_PATH = "/api/trpc";

export function makeTrpcClient() {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        // Run events stream over Server-Sent Events; the link resumes from the last event id.
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url: TRPC_PATH }),
        // POST for queries too: pipelines.validate carries a whole document, too long for a URL.
        false: httpBatchLink({ url: TRPC_PATH, methodOverride: "POST" }),
      }),
    ],
  });
}
