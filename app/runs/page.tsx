import type { Metadata } from "next";
import { RunsTable } from "@/components/runs/runs-table";
import "@/components/runs/runs-table.css";

export const metadata: Metadata = { title: "Runs · Pipeline Studio" };

export default function RunsPage() {
  return (
    <div className="rt-page">
      <div className="rt-page-head">
        <div>
          <h1>Runs</h1>
          <p>Every run of every pipeline, newest first.</p>
        </div>
      </div>
      <RunsTable />
    </div>
  );
}
