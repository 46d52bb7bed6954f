/**
 * Validation issues as the editor shows them. The engine words each message to stand alone in a
 * log or the CLI ("Node "Train" (train): param "C": ..."); on the node card, or next to the field,
 * that prefix repeats what the place already says, so it is dropped there.
 */
import type { GraphIssue } from "./types";

const NODE_PREFIX = /^Node "(?:[^"\\]|\\.)*" \([^)]*\)(?::\s*|\s+)/;
const PARAM_PREFIX = /^params?(?: "[^"]*")?:\s*/;

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Any engine message shown on or beside its node (validation issues, node errors). */
export function withoutNodeName(message: string): string {
  return capitalise(message.replace(NODE_PREFIX, ""));
}

/** For the node card: without the node's own name. */
export function issueTextOnNode(issue: GraphIssue): string {
  return capitalise(issue.message.replace(NODE_PREFIX, ""));
}

/** For a form field: without the node's name or the field's. */
export function issueTextOnField(issue: GraphIssue): string {
  return capitalise(issue.message.replace(NODE_PREFIX, "").replace(PARAM_PREFIX, ""));
}

/** Issues about one param (the engine names it, or a path into it: "rules.0.column"). */
export function isParamIssue(issue: GraphIssue, name?: string): boolean {
  if (issue.code !== "param" || !issue.field) return false;
  return name === undefined || issue.field === name || issue.field.startsWith(`${name}.`);
}
