import { describe, expect, it } from "vitest";
import { COALESCE_MS, createHistory, record, redo, undo } from "./history";

describe("history", () => {
  it("undoes and redoes edits in order", () => {
    let h = createHistory("a");
    h = record(h, "b", null, 0);
    h = record(h, "c", null, 10);
    h = undo(h);
    expect(h.present).toBe("b");
    h = undo(h);
    expect(h.present).toBe("a");
    expect(undo(h)).toBe(h);
    h = redo(redo(h));
    expect(h.present).toBe("c");
    expect(redo(h)).toBe(h);
  });

  it("a new edit after undo drops the redo branch", () => {
    let h = record(record(createHistory(1), 2, null, 0), 3, null, 1);
    h = record(undo(h), 4, null, 2);
    expect(h.future).toEqual([]);
    expect(h.past).toEqual([1, 2]);
  });

  it("ignores an edit that returns the same value", () => {
    const h = createHistory({ n: 1 });
    expect(record(h, h.present)).toBe(h);
  });

  it("merges quick edits with the same key into one undo step", () => {
    let h = createHistory("");
    h = record(h, "h", "name", 0);
    h = record(h, "he", "name", 100);
    h = record(h, "hey", "name", 200);
    expect(h.past).toEqual([""]);
    expect(undo(h).present).toBe("");
  });

  it("does not merge once the pause is long or the key differs", () => {
    let h = record(createHistory(""), "a", "k", 0);
    h = record(h, "ab", "k", COALESCE_MS + 1);
    expect(h.past).toEqual(["", "a"]);
    h = record(h, "abc", "other", COALESCE_MS + 2);
    expect(h.past).toEqual(["", "a", "ab"]);
  });
});
