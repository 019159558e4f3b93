import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';

/** Debian's `chromium` package; `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a quiet headless run as root in a container, with no traffic beyond the page's own. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The largest side of a screenshot, px. */
const MAX_SIDE = 8000;

/** Why the browser tests cannot run here, or `undefined` when Chromium is installed. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  return `Chromium is not installed at ${CHROMIUM_PATH}: run \`apt-get update && apt-get install -y chromium\` (Debian), or set CHROMIUM_PATH`;
}

/**
 * Why a browser test should be skipped here: Chromium is missing and this is not CI. In CI
 * (`CI=true`) a missing Chromium is no reason to skip: the test runs and fails with the reason.
 */
export function browserSkipReason(): string | undefined {
  return process.env.CI === 'true' ? undefined : chromiumMissing();
}

/** A screenshot written to disk, and what it looks like in numbers. */
export interface Screenshot {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  /** Distinct RGBA values (a blank page has one or two). */
  readonly distinctColors: number;
}

/** Width, height and number of distinct colours of a PNG image. */
export function pngStats(png: Buffer): { width: number; height: number; distinctColors: number } {
  const image = PNG.sync.read(png);
  const colors = new Set<number>();
  const { data } = image;
  for (let i = 0; i < data.length; i += 4) {
    colors.add(
      (((data[i] ?? 0) << 24) |
        ((data[i + 1] ?? 0) << 16) |
        ((data[i + 2] ?? 0) << 8) |
        (data[i + 3] ?? 0)) >>>
        0,
    );
  }
  return { width: image.width, height: image.height, distinctColors: colors.size };
}

/**
 * Opens `url` (a `file://` document or a loopback page) in headless Chromium, takes a full-page
 * screenshot and writes it to `outFile`. Throws with the reason when Chromium is missing.
 */
export async function screenshotPage(
  url: string,
  outFile: string,
  viewport: { readonly width: number; readonly height: number } = { width: 1280, height: 800 },
): Promise<Screenshot> {
  const missing = chromiumMissing();
  if (missing !== undefined) throw new Error(missing);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport });
    const response = await page.goto(url, { waitUntil: 'load' });
    if (response !== null && !response.ok()) throw new Error(`${url} answered ${response.status()}`);
    // Full-page screenshots hang on an SVG document: size the viewport to the document instead.
    // A string, evaluated in the page: this package is compiled without the DOM types.
    const size = (await page.evaluate(`(() => {
      const root = document.documentElement;
      const box = root.getBoundingClientRect();
      const svg = root.namespaceURI === 'http://www.w3.org/2000/svg';
      return {
        width: Math.ceil(svg ? box.width : Math.max(box.width, root.scrollWidth)),
        height: Math.ceil(svg ? box.height : Math.max(box.height, root.scrollHeight)),
      };
    })()`)) as { readonly width: number; readonly height: number };
    await page.setViewportSize({
      width: Math.min(Math.max(size.width, 1), MAX_SIDE),
      height: Math.min(Math.max(size.height, 1), MAX_SIDE),
    });
    const png = await page.screenshot({ type: 'png' });
    await mkdir(dirname(outFile), { recursive: true });
    await writeFile(outFile, png);
    return { path: outFile, bytes: png.length, ...pngStats(png) };
  } finally {
    await browser.close();
  }
}
