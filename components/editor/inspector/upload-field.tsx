"use client";

import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { UploadIcon } from "@/components/ui/icons";
import styles from "./inspector.module.css";

interface UploadResult {
  uploadId: string;
  name: string;
  size: number;
}

async function upload(file: File): Promise<UploadResult> {
  const response = await fetch("/api/uploads", {
    method: "POST",
    body: file,
    // Header values must be printable ASCII; only names that are not get percent-encoded.
    headers: {
      "x-file-name": /^[\x20-\x7e]*$/.test(file.name) ? file.name : encodeURIComponent(file.name),
      "content-type": "application/octet-stream",
    },
  });
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {}
    throw new Error(message || `Upload failed (HTTP ${response.status})`);
  }
  return (await response.json()) as UploadResult;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 ** 2).toFixed(1)} MB`;
}

/**
 * "Upload file" for a stage that reads an uploaded file: sends the raw bytes to /api/uploads and
 * stores the returned id in the param (and sets `source` to "upload", in the same undo step).
 */
export function UploadField({ value, onPatch, name, accept, testId }: {
  value: unknown;
  onPatch: (patch: Record<string, unknown>) => void;
  name: string;
  /** The file types the chooser offers; any file when the stage does not say. */
  accept?: string;
  testId: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<UploadResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = typeof value === "string" ? value : "";

  async function onFile(file: File | undefined) {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const result = await upload(file);
      setDone(result);
      onPatch({ [name]: result.uploadId, source: "upload" });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
      if (input.current) input.current.value = "";
    }
  }

  const shown = done && done.uploadId === id ? `${done.name} · ${formatBytes(done.size)}` : id ? `File ${id.slice(0, 10)}…` : "No file yet";
  return (
    <div className={styles.field}>
      <div className={styles.upload}>
        <Button size="sm" disabled={busy} onClick={() => input.current?.click()} data-testid={`${testId}-button`}>
          <UploadIcon size={13} />
          {busy ? "Uploading…" : id ? "Replace file" : "Upload file"}
        </Button>
        <span className={styles.uploadName} title={id || undefined} data-testid={testId}>
          {shown}
        </span>
      </div>
      <input
        ref={input}
        type="file"
        accept={accept}
        hidden
        onChange={(e) => void onFile(e.target.files?.[0])}
        data-testid={`${testId}-file`}
      />
      {error && <span className={styles.error}>{error}</span>}
    </div>
  );
}
