/**
 * The SDK in a real browser: a page bundled with esbuild (platform browser, nothing external, so a
 * `node:` import in the entry fails the build) is served on loopback and calls the Prism mock
 * through a proxy that applies the server's CORS exactly. The page's reports must equal what the
 * same calls give in Node, except where CORS makes a browser differ: a custom request header fails
 * its preflight (a `network` error, and the request never reaches the server), and the identity
 * headers are not readable (`meta.identity`/`meta.token` absent).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CUSTOM_HEADER, runCalls, type Report } from "./calls.js";
import { startCorsProxy, type CorsProxy } from "./cors-proxy.js";
import { chromiumRequired, hasChromium, launchChromium, MISSING_CHROMIUM, OFFLINE_ARGS, reportMissingChromium } from "./chromium.js";

const HTML = '<!doctype html><meta charset="utf-8"><title>spacetimedb-http</title><pre id="results"></pre><script type="module" src="/page.js"></script>';

async function servePage(script: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/") res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(HTML);
    else if (path === "/page.js") res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(script);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

reportMissingChromium("browser test");

describe.runIf(!hasChromium && chromiumRequired)("browser (CI)", () => {
  it("needs Chromium", () => {
    throw new Error(MISSING_CHROMIUM);
  });
});

describe.runIf(hasChromium)("the SDK in headless Chromium, behind the server's CORS", () => {
  let proxy: CorsProxy;
  let page: { url: string; server: Server };
  let browser: Browser | undefined;

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: ["test/browser/page.ts"],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      logLevel: "silent",
    });
    proxy = await startCorsProxy(inject("prismUrl"));
    page = await servePage(bundle.outputFiles[0]!.text);
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await new Promise((resolve) => page?.server.close(resolve));
  });

  it("reports what Node gets, except what CORS hides or refuses", async () => {
    const fromNode = await runCalls(proxy.url);
    const forwardedByNode = proxy.forwarded.length;
    // Node applies no CORS: the custom header goes through and the identity headers are readable.
    expect(fromNode.pingWithCustomHeader).toMatchObject({ ok: true, status: 200 });
    expect(fromNode.getDatabaseNames).toMatchObject({ ok: true, hasToken: true });
    expect(fromNode.getDatabaseNames!.identity).toMatch(/^[0-9a-f]{64}$/);
    expect(proxy.preflights).toEqual([]);

    browser = await launchChromium(OFFLINE_ARGS);
    const tab = await browser.newPage();
    const outside: string[] = [];
    tab.on("request", (r) => {
      if (!r.url().startsWith("http://127.0.0.1:")) outside.push(r.url());
    });
    await tab.goto(`${page.url}/?api=${encodeURIComponent(proxy.url)}`);
    await tab.waitForSelector("body[data-state]", { timeout: 15_000 });
    const text = (await tab.textContent("#results")) ?? "";
    expect(await tab.getAttribute("body", "data-state"), text).toBe("done");
    const fromBrowser = JSON.parse(text) as Record<string, Report>;

    // A request header the server does not allow fails its preflight, as against a real server,
    // and the request itself is never sent.
    expect(fromBrowser.pingWithCustomHeader).toMatchObject({ ok: false, kind: "network" });
    const preflightedCustom = proxy.preflights.filter((p) => String(p.headers["access-control-request-headers"]).includes(CUSTOM_HEADER));
    expect(preflightedCustom).toHaveLength(1);
    const browserRequests = proxy.forwarded.slice(forwardedByNode);
    expect(browserRequests.filter((r) => r.headers[CUSTOM_HEADER] !== undefined)).toEqual([]);
    // Authorization and content-type are allowed: the authenticated and body-carrying calls went through.
    expect(browserRequests.some((r) => r.headers.authorization?.startsWith("Bearer "))).toBe(true);

    // No exposed headers: the browser cannot read the identity or its token.
    for (const [name, report] of Object.entries(fromBrowser)) {
      expect({ name, identity: report.identity, hasToken: report.hasToken }).toEqual({ name, identity: null, hasToken: false });
    }

    // Everything else is the same as in Node, status and decoded data alike.
    const comparable = (reports: Record<string, Report>) =>
      Object.fromEntries(
        Object.entries(reports)
          .filter(([name]) => name !== "pingWithCustomHeader")
          .map(([name, { identity: _identity, hasToken: _hasToken, ...rest }]) => [name, rest]),
      );
    expect(comparable(fromBrowser)).toEqual(comparable(fromNode));
    for (const [name, report] of Object.entries(comparable(fromBrowser))) expect({ name, ok: report.ok }).toEqual({ name, ok: true });
    expect(fromBrowser.sqlRows!.value).toEqual(fromNode.sqlRows!.value);
    expect((fromBrowser.followLogs!.value as string[]).length).toBeGreaterThan(0);
    expect(outside).toEqual([]);
  }, 30_000);
});
