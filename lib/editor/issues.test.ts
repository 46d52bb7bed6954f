import { describe, expect, it } from "vitest";
import { isParamIssue, issueTextOnField, issueTextOnNode, withoutNodeName } from "./issues";
import type { GraphIssue } from "./types";

const param: GraphIssue = {
  code: "param",
  nodeId: "train",
  field: "target",
  message: 'Node "Train model" (train): param "target": Invalid input: expected string, received undefined',
};
const missing: GraphIssue = {
  code: "missing-input",
  nodeId: "train",
  field: "train",
  message: 'Node "Train model" (train) needs its input "Training data" connected.',
};

describe("issue text", () => {
  it("drops the node's name on the node card", () => {
    expect(issueTextOnNode(param)).toBe('Param "target": Invalid input: expected string, received undefined');
    expect(issueTextOnNode(missing)).toBe('Needs its input "Training data" connected.');
  });

  it("drops the node's and the field's name next to the field", () => {
    expect(issueTextOnField(param)).toBe("Invalid input: expected string, received undefined");
  });

  it("also cleans node error messages", () => {
    expect(withoutNodeName('Node "Load" (load_csv): file not found')).toBe("File not found");
  });

  it("leaves messages without the prefix alone", () => {
    expect(issueTextOnNode({ code: "cycle", message: "The pipeline has a cycle." })).toBe("The pipeline has a cycle.");
  });
});

describe("isParamIssue", () => {
  it("matches the param and paths into it, never port issues that also carry a field", () => {
    expect(isParamIssue(param, "target")).toBe(true);
    expect(isParamIssue({ ...param, field: "rules.0.column" }, "rules")).toBe(true);
    expect(isParamIssue({ ...param, field: "rulesX" }, "rules")).toBe(false);
    expect(isParamIssue(missing)).toBe(false);
    expect(isParamIssue(missing, "train")).toBe(false);
  });
});
