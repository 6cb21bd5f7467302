/**
 * Headless Debian Chromium for the browser and docs-render tests (playwright-core drives the
 * system binary; no browser download). Without Chromium the tests are skipped with one line
 * saying how to install it; with CI=true a missing Chromium is a failure.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** toolchain.md's flags. playwright adds `--headless` and a fresh temporary `--user-data-dir`. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const hasChromium = existsSync(CHROMIUM_PATH);
export const chromiumRequired = process.env.CI === "true";
const INSTALL = "install it with `sudo apt-get install chromium`, or set CHROMIUM_PATH to a Chromium binary";
/** The error of the CI-only test that stands in for the skipped ones. */
export const MISSING_CHROMIUM = `Chromium is required when CI=true but was not found at ${CHROMIUM_PATH}: ${INSTALL}.`;

/** Prints the one skip line of a test file, unless Chromium is there or CI requires it. */
export function reportMissingChromium(what: string): void {
  if (!hasChromium && !chromiumRequired) console.warn(`Chromium not found at ${CHROMIUM_PATH}: skipping the ${what} (${INSTALL}).`);
}

/**
 * Sends every non-loopback request to a proxy address where nothing listens, so it fails; loopback
 * stays direct (Chromium never proxies loopback unless told to). Unlike `route()` this leaves
 * Chromium's own CORS handling alone: with routing on, playwright answers preflights itself.
 */
export const OFFLINE_ARGS = ["--proxy-server=http://127.0.0.1:9"];

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs], timeout: 15_000 });
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Aborts every request that leaves the machine (anything but file: and loopback) and records it,
 * so a test can prove a page works with the network off. Not for cross-origin tests: while
 * routing is on, playwright answers CORS preflights itself (see OFFLINE_ARGS).
 */
export async function blockNonLoopback(context: BrowserContext): Promise<string[]> {
  const blocked: string[] = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === "file:" || url.protocol === "data:" || url.protocol === "blob:" || LOOPBACK.has(url.hostname)) {
      return route.continue();
    }
    blocked.push(url.href);
    return route.abort("internetdisconnected");
  });
  return blocked;
}
