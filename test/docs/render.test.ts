/**
 * `npm run docs` builds one self-contained HTML page that renders in a browser with the network
 * off. The page is built with the exact command of the `docs` script (only the output moved to a
 * temporary folder), opened at its root in headless Chromium with every non-loopback request
 * aborted, and every operation's summary must then be in the rendered DOM: Redoc's sidebar lists
 * them only once its script has run (the HTML source holds them too, in the embedded state, which
 * is why this reads rendered text and not the file).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { listOperations, loadSpec } from "../helpers/spec.js";
import { blockNonLoopback, chromiumRequired, hasChromium, launchChromium, MISSING_CHROMIUM, reportMissingChromium } from "../browser/chromium.js";

const require = createRequire(import.meta.url);
const docsScript = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts.docs ?? "";

/** The `docs` script's arguments after `redocly`, with `-o` pointed at `output`. */
function docsArgs(output: string): string[] {
  const words = docsScript.split(/\s+/).filter(Boolean);
  expect(words.slice(0, 2), "the docs script runs `redocly build-docs`").toEqual(["redocly", "build-docs"]);
  const o = words.findIndex((w) => w === "-o" || w === "--output");
  expect(o, "the docs script names its output with -o").toBeGreaterThan(1);
  words.splice(o + 1, 1, output);
  return words.slice(1);
}

function run(args: string[]): Promise<string> {
  const cli = join(dirname(require.resolve("@redocly/cli/package.json")), "bin", "cli.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d: Buffer) => (log += d.toString()));
    child.stderr.on("data", (d: Buffer) => (log += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(log) : reject(new Error(`redocly ${args.join(" ")} failed (exit ${code}):\n${log}`))));
  });
}

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
    await run(docsArgs(page));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("is one self-contained file: Redoc inlined, no external script or stylesheet, telemetry off", async () => {
    const html = await readFile(page, "utf8");
    // Without --inlineBundle the page imports https://cdn.redocly.com/redoc/v…/redoc.standalone.js.
    expect(html.match(/https?:\/\/[^"'`\s)<>]+\.(?:m?js|css)(?![\w-])/g) ?? []).toEqual([]);
    expect(html.length).toBeGreaterThan(1_000_000); // Redoc itself is inside
    expect(html).toContain('"disableTelemetry":true');
  });

  it("renders every operation's summary and the introduction in Chromium with the network off", async () => {
    const operations = listOperations(loadSpec(inject("specPath")));
    expect(operations.length).toBeGreaterThan(30);

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const blocked = await blockNonLoopback(context);
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
    // The one thing the page asks the internet for is Redocly's "API docs by" logo image, which
    // hides itself when it fails; no script, style, font or telemetry.
    expect(blocked.filter((url) => !/^https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg$/.test(url))).toEqual([]);
  }, 30_000);
});
