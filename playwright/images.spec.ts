import { expect, test } from "@playwright/test";

/**
 * The image demo in the browser: the Load images output previews as thumbnails, the CNN trains
 * with per-epoch progress on its node, and its evaluation shows a 3-class confusion matrix.
 */

const DEMO = "Shapes images: CNN (demo)";

test("run the image demo: thumbnails, a CNN with live epochs, a 3-class confusion matrix", async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto("/");
  await page.getByRole("link", { name: DEMO }).click();
  await expect(page.getByTestId("node-load_images")).toBeVisible();
  await page.getByTestId("run-button").click();

  await test.step("the CNN node shows its epochs while it trains", async () => {
    const cnn = page.getByTestId("node-train_cnn");
    await expect(cnn).toContainText(/epoch \d+\/10/, { timeout: 120_000 });
  });

  await test.step("the images come out as a table whose pixels preview as pictures", async () => {
    await page.getByTestId("node-load_images").click({ position: { x: 24, y: 14 } });
    const panel = page.getByTestId("output-panel");
    await expect(panel).toHaveAttribute("data-node-id", "load_images");
    await panel.getByTestId("tab-output").click();
    const preview = panel.getByTestId("table-preview");
    await expect(preview).toContainText("900 rows × 786 columns");
    await expect(preview).toContainText("784 pixel columns shown as 28×28 images");
    const thumb = preview.getByTestId("table-row").first().locator("canvas");
    await expect(thumb).toHaveAttribute("width", "28");
    // The thumbnail is drawn: some pixel of the shape in its middle is bright.
    const brightest = await thumb.evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext("2d")!.getImageData(0, 0, 28, 28).data;
      let max = 0;
      for (let i = 0; i < data.length; i += 4) max = Math.max(max, data[i]!);
      return max;
    });
    expect(brightest).toBeGreaterThan(150);
  });

  await test.step("the CNN's evaluation is a 3 x 3 confusion matrix over the 225 test images", async () => {
    const evaluate = page.getByTestId("node-evaluate_cnn");
    await expect(evaluate).toHaveAttribute("data-status", /^(succeeded|cached)$/, { timeout: 180_000 });
    await evaluate.click({ position: { x: 24, y: 14 } });
    const panel = page.getByTestId("output-panel");
    await expect(panel).toHaveAttribute("data-node-id", "evaluate_cnn");
    await panel.getByTestId("tab-output").click();
    const matrix = page.getByTestId("confusion-matrix");
    await expect(matrix.locator('[data-testid^="cm-cell-0-"]')).toHaveCount(3);
    let total = 0;
    let diagonal = 0;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const value = Number((await matrix.getByTestId(`cm-cell-${i}-${j}`).textContent())!.replace(/,/g, ""));
        total += value;
        if (i === j) diagonal += value;
      }
    }
    expect(total).toBe(225);
    expect(diagonal / total).toBeGreaterThan(0.8);
  });
});
