import { notFound } from "next/navigation";
import { RunRedirect } from "@/components/runs/run-redirect";

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const runId = Number(id);
  if (!Number.isInteger(runId) || runId <= 0) notFound();
  return <RunRedirect runId={runId} />;
}
