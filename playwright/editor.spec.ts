import { expect, test, type Locator, type Page } from "@playwright/test";

/**
 * The pipeline editor, driven as a user would: real mouse drags (HTML5 drag and drop from the
 * palette, handle-to-handle connections), the keyboard, and autosave to the server.
 */

const DEMO = "Churn prediction (demo)";

async function center(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error("element is not visible");
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags from one handle to another with intermediate moves, as React Flow needs to see them. */
async function dragBetween(page: Page, from: Locator, to: Locator) {
  const a = await center(from);
  const b = await center(to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(a.x + 10, a.y + 10, { steps: 3 });
  await page.mouse.move(b.x, b.y, { steps: 15 });
  await page.mouse.up();
}

async function nodeIds(page: Page): Promise<string[]> {
  return page.locator(".react-flow__node").evaluateAll((els) => els.map((el) => el.getAttribute("data-id") ?? ""));
}

async function openDemo(page: Page) {
  await page.goto("/");
  await page.getByRole("link", { name: DEMO }).click();
  await expect(page).toHaveURL(/\/pipelines\/\d+$/);
  await expect(page.getByTestId("node-load_csv")).toBeVisible();
  await expect(page.getByTestId("save-status")).toHaveText(/^Saved/);
}

test("edit the demo pipeline: add, connect, refuse, delete, undo, autosave", async ({ page }) => {
  await openDemo(page);
  const canvas = page.getByTestId("canvas");
  const before = await nodeIds(page);
  const versionBefore = Number((await page.getByTestId("save-status").textContent())?.match(/v(\d+)/)?.[1] ?? 0);

  // The demo graph sits in the middle of the canvas; its top strip is empty.
  const box = (await canvas.boundingBox())!;
  const drop = { x: Math.round(box.width * 0.3), y: 70 };
  let added = "";

  await test.step("drag a stage from the palette onto the canvas", async () => {
    await page.getByTestId("palette-item-clean").dragTo(canvas, { targetPosition: drop });
    await expect.poll(async () => (await nodeIds(page)).length).toBe(before.length + 1);
    added = (await nodeIds(page)).find((id) => !before.includes(id))!;
    expect(added).toMatch(/^clean_\d+$/);
    const node = page.getByTestId(`node-${added}`);
    await expect(node).toBeVisible();
    // Dropped where the cursor was: the node covers the drop point (React Flow needs a few
    // pixels before a drag starts, hence the tolerance).
    const nb = (await node.boundingBox())!;
    const dropX = box.x + drop.x;
    const dropY = box.y + drop.y;
    const tolerance = 24;
    expect(dropX).toBeGreaterThan(nb.x - tolerance);
    expect(dropX).toBeLessThan(nb.x + nb.width + tolerance);
    expect(dropY).toBeGreaterThan(nb.y - tolerance);
    expect(dropY).toBeLessThan(nb.y + nb.height + tolerance);
    // A new node is selected, so the inspector shows its generated form.
    await expect(page.getByTestId("inspector")).toContainText("Clean");
  });

  await test.step("connect two compatible ports by dragging handle to handle", async () => {
    const edges = page.locator(".react-flow__edge");
    const count = await edges.count();
    await dragBetween(page, page.getByTestId("out-load_csv-table"), page.getByTestId(`in-${added}-table`));
    await expect(edges).toHaveCount(count + 1);
    await expect(page.locator(`.react-flow__edge[aria-label="Edge from load_csv to ${added}"]`)).toHaveCount(1);
  });

  await test.step("an incompatible connection is refused with a reason", async () => {
    const edges = page.locator(".react-flow__edge");
    const count = await edges.count();
    // A Model output into a Table input.
    await dragBetween(page, page.getByTestId("out-train-model"), page.getByTestId("in-validate-table"));
    const error = page.getByTestId("connection-error");
    await expect(error).toBeVisible();
    await expect(error).toContainText("Can't connect Model to Table input");
    await expect(edges).toHaveCount(count);
  });

  await test.step("autosave stores the edits as a new version", async () => {
    await expect(page.getByTestId("save-status")).toHaveText(/^Saved v\d+$/);
    const version = Number((await page.getByTestId("save-status").textContent())!.match(/v(\d+)/)![1]);
    expect(version).toBeGreaterThan(versionBefore);
  });

  await test.step("Delete removes the selected node and Ctrl+Z brings it back", async () => {
    const node = page.getByTestId(`node-${added}`);
    await node.click();
    await page.keyboard.press("Delete");
    await expect(node).toHaveCount(0);
    await page.keyboard.press("Control+z");
    await expect(node).toBeVisible();
    // Its edge came back with it: undo restores the document, not just the node.
    await expect(page.locator(`.react-flow__edge[aria-label="Edge from load_csv to ${added}"]`)).toHaveCount(1);
  });

  await test.step("leave the demo as it was, and see that saved too", async () => {
    await page.getByTestId(`node-${added}`).click();
    await page.keyboard.press("Delete");
    await expect(page.getByTestId(`node-${added}`)).toHaveCount(0);
    await expect(page.getByTestId("save-status")).toHaveText(/^Saved v\d+$/);
    await page.reload();
    await expect(page.getByTestId("node-load_csv")).toBeVisible();
    expect((await nodeIds(page)).sort()).toEqual([...before].sort());
  });
});
