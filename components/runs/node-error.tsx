import type { NodeError } from "@/server/api-types";
import { formatCount } from "./format";
import "./panel-ui.css";
import "./node-error.css";

/**
 * A node's failure, with where it happened up front: the param field, the file line or data row,
 * the column; then what to do. These are what a user needs to fix it (principle 8).
 */
export function NodeErrorCallout({ error, testId = "node-error" }: { error: NodeError; testId?: string }) {
  const where: [string, string][] = [];
  if (error.field) where.push(["Field", error.field]);
  if (error.line !== undefined) where.push(["Line", formatCount(error.line)]);
  if (error.row !== undefined) where.push(["Row", formatCount(error.row)]);
  if (error.column) where.push(["Column", error.column]);
  return (
    <div className="rs-callout rs-callout-error rs-node-error" role="alert" data-testid={testId}>
      <div className="rs-callout-title">This node failed</div>
      {where.length > 0 && (
        <div className="rs-error-where">
          {where.map(([label, value]) => (
            <span key={label} className="rs-error-chip">
              <span className="rs-error-chip-label">{label}</span>
              {value}
            </span>
          ))}
        </div>
      )}
      <div className="rs-error-message">{error.message}</div>
      {error.hint && (
        <div className="rs-error-hint">
          <span className="rs-error-hint-label">What to do</span>
          {error.hint}
        </div>
      )}
    </div>
  );
}
