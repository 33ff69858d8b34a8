// Debian's Chromium, headless, driven by playwright-core (which never downloads a browser of its own): the
// launch flags that let it run as root in CI without a GPU, a sandbox, or background traffic.
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** Launches Debian's Chromium headless; close the browser in afterAll. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30_000 });
}
