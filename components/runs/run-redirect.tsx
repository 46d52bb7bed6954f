"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { ErrorBlock, LoadingBlock } from "./panel-ui";
import { runHref } from "./runs-table";
import { useRunDetail } from "./use-run-state";

/** /runs/<id> has no page of its own: a run is viewed on its pipeline's canvas, opened at that run. */
export function RunRedirect({ runId }: { runId: number }) {
  const router = useRouter();
  const detail = useRunDetail(runId);
  const run = detail.data?.run;
  useEffect(() => {
    if (run) router.replace(runHref(run));
  }, [router, run]);
  if (detail.error) {
    return (
      <div style={{ maxWidth: 560, margin: "48px auto" }}>
        <ErrorBlock title={`Run #${runId} could not be opened`} message={detail.error.message} />
      </div>
    );
  }
  return <LoadingBlock label={`Opening run #${runId}…`} />;
}
