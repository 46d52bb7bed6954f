import { notFound } from "next/navigation";
import { PipelineEditor } from "@/components/editor/pipeline-editor";

export default async function PipelinePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ run?: string }>;
}) {
  const { id } = await params;
  const pipelineId = Number(id);
  if (!Number.isInteger(pipelineId) || pipelineId <= 0) notFound();
  // ?run=<id> opens a chosen run (links from the runs list); otherwise the latest one.
  const run = Number((await searchParams).run);
  const initialRunId = Number.isInteger(run) && run > 0 ? run : null;
  return <PipelineEditor pipelineId={pipelineId} initialRunId={initialRunId} />;
}
