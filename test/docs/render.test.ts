/**
 * `npm run docs` builds one self-contained HTML page that renders in a browser with the network
 * off. The page is built by the `docs` script itself (`npm run docs -- --out <temporary file>`),
 * opened at its root in headless Chromium with every non-loopback request aborted, and:
 *   - every operation's summary must then be in the rendered DOM: Redoc's sidebar lists them only
 *     once its script has run (the HTML source holds them too, in the embedded state, which is why
 *     this reads rendered text and not the file);
 *   - the page makes no request but for itself and in-memory data (file:, data:, blob:): no CDN logo,
 *     script, style, font or telemetry;
 *   - the SDK call (`client.<operationId>(`) is the first code sample, shown by default.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { listOperations, loadSpec } from "../helpers/spec.js";
import { blockNonLoopback, chromiumRequired, hasChromium, launchChromium, MISSING_CHROMIUM, reportMissingChromium } from "../browser/chromium.js";

const exec = promisify(execFile);
/** Three operations whose docs must show their SDK call first: a GET, a text body, a JSON body. */
const SAMPLED = ["getDatabase", "sql", "callReducer"];

/** Markdown in a summary (`code`) renders without its backticks; compare on plain text. */
const plain = (s: string) => s.replace(/`/g, "").replace(/\s+/g, " ").trim();

reportMissingChromium("docs-render test");

describe.runIf(!hasChromium && chromiumRequired)("docs render (CI)", () => {
  it("needs Chromium", () => {
    throw new Error(MISSING_CHROMIUM);
  });
});

describe.runIf(hasChromium)("npm run docs", () => {
  let dir = "";
  let page = "";
  let browser: Browser | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "spacetimedb-http-docs-"));
    page = join(dir, "docs.html");
    await exec("npm", ["run", "docs", "--", "--out", page], { env: { ...process.env, NO_COLOR: "1", REDOCLY_TELEMETRY: "off", npm_config_update_notifier: "false" }, timeout: 60_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("is one self-contained file: Redoc inlined, no external script or stylesheet, telemetry off", async () => {
    const html = await readFile(page, "utf8");
    // Without --inlineBundle the page imports https://cdn.redocly.com/redoc/v…/redoc.standalone.js;
    // Redoc's sidebar logo comes from cdn.redoc.ly unless scripts/docs.ts inlines it.
    expect(html.match(/https?:\/\/[^"'`\s)<>]+\.(?:m?js|css)(?![\w-])/g) ?? []).toEqual([]);
    expect(html.match(/https?:\/\/cdn\.redoc\.ly\/[^"'`\s)<>]*/g) ?? []).toEqual([]);
    expect(html.length).toBeGreaterThan(1_000_000); // Redoc itself is inside
    expect(html).toContain('"disableTelemetry":true');
  });

  it("renders every operation's summary and the introduction in Chromium with the network off", async () => {
    const operations = listOperations(loadSpec(inject("specPath")));
    expect(operations.length).toBeGreaterThan(30);

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const blocked = await blockNonLoopback(context);
    const requested: string[] = [];
    context.on("request", (request) => requested.push(request.url()));
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on("pageerror", (e) => errors.push(e.message));
    await tab.goto(pathToFileURL(page).href); // the root: Redoc routes by path, a #fragment shows a blank page

    const menu = tab.locator('[data-component-name="Menu/Menu"]').first();
    await menu.waitFor({ timeout: 15_000 });
    // The sidebar shows one tag's operations at a time: open each tag and collect what it lists.
    const groups = menu.locator('[data-component-name="Menu/MenuItem"].menu-item-type-group');
    const groupCount = await groups.count();
    expect(groupCount).toBeGreaterThanOrEqual(4);
    let seen = "";
    for (let i = 0; i < groupCount; i++) {
      const group = groups.nth(i);
      await group.locator("a").first().click();
      await group.locator('[data-component-name="Menu/MenuItem"]').first().waitFor({ timeout: 5_000 });
      seen += `\n${await menu.innerText()}`;
    }
    const rendered = plain(seen);
    const missing = operations.filter((op) => !rendered.includes(plain(op.summary ?? `(no summary: ${op.operationId})`)));
    expect(missing.map((op) => `${op.operationId}: ${op.summary}`)).toEqual([]);

    await tab.goto(pathToFileURL(page).href);
    const intro = plain(await tab.locator("main, body").first().innerText());
    expect(intro).toContain("SATS-JSON");
    expect(intro).toContain("Quick start with the TypeScript SDK");

    expect(errors).toEqual([]);
    // Nothing but the page itself and in-memory data (Redoc's workers are blob: URLs).
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !/^(file|data|blob):/.test(url))).toEqual([]);
    expect(blocked).toEqual([]);
  }, 30_000);

  it(`shows the SDK call as the first code sample (${SAMPLED.join(", ")})`, async () => {
    const operations = listOperations(loadSpec(inject("specPath")));
    browser ??= await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const blocked = await blockNonLoopback(context);
    const tab = await context.newPage();
    await tab.goto(pathToFileURL(page).href);
    const shown: Record<string, { panel: string; code: string }> = {};
    for (const operationId of SAMPLED) {
      const summary = operations.find((op) => op.operationId === operationId)?.summary;
      expect(summary, `${operationId} has a summary in the spec`).toBeDefined();
      await openInMenu(tab, summary!);
      // Redoc's section for an operation has the id "<tag>/<operationid in lower case>"; its request
      // samples panel shows the first language of `codeSamples.languages` until the reader picks another.
      const samples = tab.locator(`[id$="/${operationId.toLowerCase()}"] .panel-request-samples`).first();
      await samples.waitFor({ timeout: 10_000 });
      const code = samples.locator('[data-component-name="CodeBlock/CodeBlock"]').first();
      shown[operationId] = { panel: await samples.innerText(), code: (await code.count()) ? await code.innerText() : "" };
    }
    for (const operationId of SAMPLED) {
      expect(shown[operationId]!.code, `${operationId}: the sample shown by default`).toContain(`client.${operationId}(`);
      expect(shown[operationId]!.panel, `${operationId}: the selected sample language`).toContain("spacetimedb-http");
    }
    expect(blocked).toEqual([]);
  }, 60_000);
});

/** Opens the sidebar group that lists `summary` (one tag's operations show at a time) and clicks it. */
async function openInMenu(tab: Page, summary: string): Promise<void> {
  const menu = tab.locator('[data-component-name="Menu/Menu"]').first();
  await menu.waitFor({ timeout: 15_000 });
  const item = menu.getByText(summary, { exact: true }).first();
  if (!(await item.isVisible())) {
    const groups = menu.locator('[data-component-name="Menu/MenuItem"].menu-item-type-group');
    for (let i = 0; i < (await groups.count()) && !(await item.isVisible()); i++) {
      await groups.nth(i).locator("a").first().click();
      await groups.nth(i).locator('[data-component-name="Menu/MenuItem"]').first().waitFor({ timeout: 5_000 });
    }
  }
  await item.click();
}
