import { PipelineList } from "@/components/editor/home/pipeline-list";

export default function HomePage() {
  return <PipelineList />;
}
