import { expect, test, type Page } from "@playwright/test";

/**
 * The run and results views, driven through the editor: run the demo pipeline, read the
 * evaluation (confusion matrix, normalisation), preview a table output, then run again and see the
 * content-addressed cache serve every node.
 */

const DEMO = "Churn prediction (demo)";
const NODES = ["load_csv", "validate", "clean", "split", "encode", "train", "evaluate"];

async function openDemo(page: Page) {
  await page.goto("/");
  await page.getByRole("link", { name: DEMO }).click();
  await expect(page).toHaveURL(/\/pipelines\/\d+/);
  await expect(page.getByTestId("node-load_csv")).toBeVisible();
  await expect(page.getByTestId("save-status")).toHaveText(/^Saved/);
}

/** Selects a node by clicking its title, and waits for the output panel to show that node. */
async function selectNode(page: Page, nodeId: string) {
  await page.getByTestId(`node-${nodeId}`).click({ position: { x: 24, y: 14 } });
  const panel = page.getByTestId("output-panel");
  await expect(panel).toHaveAttribute("data-node-id", nodeId);
  await panel.getByTestId("tab-output").click();
  return panel;
}

function parseCell(text: string | null): number {
  return Number((text ?? "").replace(/[,%\s]/g, ""));
}

test("run the demo, read its evaluation and outputs, then re-run from the cache", async ({ page }) => {
  test.setTimeout(180_000);
  await openDemo(page);

  await test.step("run the pipeline and wait for the evaluation", async () => {
    await page.getByTestId("run-button").click();
    // "cached" too: on a retry against the same server the first run is already served from cache.
    await expect(page.getByTestId("node-evaluate")).toHaveAttribute("data-status", /^(succeeded|cached)$/, { timeout: 120_000 });
  });

  const matrix = page.getByTestId("confusion-matrix");
  let classes = 0;

  await test.step("the confusion matrix shows counts that add up to the evaluated rows", async () => {
    const panel = await selectNode(page, "evaluate");
    await expect(matrix).toBeVisible();
    classes = await matrix.locator('[data-testid^="cm-cell-0-"]').count();
    expect(classes).toBeGreaterThanOrEqual(2);
    let total = 0;
    for (let i = 0; i < classes; i++) {
      for (let j = 0; j < classes; j++) {
        const text = await matrix.getByTestId(`cm-cell-${i}-${j}`).textContent();
        expect(text).toMatch(/^\d[\d,]*$/);
        total += parseCell(text);
      }
    }
    // The per-class table's support column sums to the same rows.
    const supports = await panel.getByTestId("per-class-table").locator("tbody:first-of-type td.ev-support").allTextContents();
    expect(supports.reduce((a, s) => a + parseCell(s), 0)).toBe(total);
    await expect(panel.getByTestId("avg-macro")).toBeVisible();
    await expect(panel.getByTestId("avg-weighted")).toBeVisible();
    await expect(panel.getByTestId("avg-micro")).toBeVisible();
  });

  await test.step("row-normalised: every true class's row sums to 100%", async () => {
    await page.getByTestId("cm-normalize-toggle").click();
    await expect(matrix).toHaveAttribute("data-mode", "true");
    for (let i = 0; i < classes; i++) {
      let shown = 0;
      let exact = 0;
      for (let j = 0; j < classes; j++) {
        const cell = matrix.getByTestId(`cm-cell-${i}-${j}`);
        const text = await cell.textContent();
        expect(text).toMatch(/^\d+(\.\d)?%$/);
        shown += parseCell(text);
        exact += Number(await cell.getAttribute("data-value"));
      }
      expect(exact).toBeCloseTo(1, 9);
      expect(Math.abs(shown - 100)).toBeLessThanOrEqual(0.05 * classes + 1e-9);
    }
    // Pressing it again goes back to counts.
    await page.getByTestId("cm-normalize-toggle").click();
    await expect(matrix).toHaveAttribute("data-mode", "counts");
  });

  await test.step("the split node's output previews its rows", async () => {
    const panel = await selectNode(page, "split");
    const preview = panel.getByTestId("table-preview");
    await expect(preview).toBeVisible();
    await expect(preview).toContainText(/[\d,]+ rows × \d+ columns/);
    await expect(preview.getByTestId("table-row").first()).toBeVisible();
    expect(Number(await preview.getAttribute("data-row-count"))).toBeGreaterThan(0);
  });

  await test.step("run again: every node is served from the cache", async () => {
    await page.getByTestId("run-button").click();
    for (const id of NODES) {
      await expect(page.getByTestId(`node-${id}`)).toHaveAttribute("data-status", "cached", { timeout: 60_000 });
    }
    const panel = await selectNode(page, "train");
    await panel.getByTestId("tab-details").click();
    await expect(panel.getByTestId("cache-explanation")).toHaveAttribute("data-cached", "true");
  });
});
