"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { StatusBadge } from "@/components/runs/status-badge";
import { Button } from "@/components/ui/button";
import { PlusIcon } from "@/components/ui/icons";
import { relativeTime } from "@/lib/editor/format";
import { useTRPC } from "@/lib/trpc";
import styles from "./home.module.css";

/** The home page: every pipeline, its version count, how its last run went, and "New pipeline". */
export function PipelineList() {
  const trpc = useTRPC();
  const router = useRouter();
  const pipelines = useQuery(trpc.pipelines.list.queryOptions());
  const create = useMutation(
    trpc.pipelines.create.mutationOptions({
      onSuccess: ({ id }) => router.push(`/pipelines/${id}`),
    }),
  );

  return (
    <div className={styles.page}>
      <div className={styles.header}>
        <div>
          <h1 className={styles.title}>Pipelines</h1>
          <p className={styles.subtitle}>Build, run and version machine-learning pipelines.</p>
        </div>
        <Button
          variant="primary"
          data-testid="new-pipeline"
          disabled={create.isPending}
          onClick={() => create.mutate({ name: "Untitled pipeline" })}
        >
          <PlusIcon size={14} />
          New pipeline
        </Button>
      </div>
      {create.error && <p className={styles.error}>Could not create the pipeline: {create.error.message}</p>}

      <div className={styles.card}>
        {pipelines.error ? (
          <p className={styles.error}>Could not load pipelines: {pipelines.error.message}</p>
        ) : (
          <table className={styles.table}>
            <thead>
              <tr>
                <th>Name</th>
                <th style={{ width: 110 }}>Versions</th>
                <th style={{ width: 160 }}>Last run</th>
                <th style={{ width: 140 }}>Updated</th>
              </tr>
            </thead>
            <tbody>
              {pipelines.isPending &&
                [0, 1, 2].map((i) => (
                  <tr key={i}>
                    {[0, 1, 2, 3].map((j) => (
                      <td key={j}>
                        <div className={styles.skeleton} />
                      </td>
                    ))}
                  </tr>
                ))}
              {pipelines.data?.map((p) => (
                <tr
                  key={p.id}
                  className={styles.row}
                  data-testid={`pipeline-row-${p.id}`}
                  onClick={() => router.push(`/pipelines/${p.id}`)}
                >
                  <td>
                    <Link href={`/pipelines/${p.id}`} className={styles.name} onClick={(e) => e.stopPropagation()}>
                      {p.name}
                    </Link>
                  </td>
                  <td className={styles.muted}>{p.versionCount}</td>
                  <td>
                    {p.lastRun ? (
                      <StatusBadge status={p.lastRun.status} />
                    ) : (
                      <span className={styles.muted}>Never run</span>
                    )}
                  </td>
                  <td className={styles.muted} title={new Date(p.updatedAt).toLocaleString()}>
                    {relativeTime(p.updatedAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {pipelines.data?.length === 0 && (
          <div className={styles.empty}>
            <p className={styles.emptyTitle}>No pipelines yet</p>
            Create one and drag stages from the palette onto the canvas.
          </div>
        )}
      </div>
    </div>
  );
}
