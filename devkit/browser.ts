/** Headless Debian Chromium through playwright-core, started the way this machine needs it. */
import { before, after, type TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import fs from 'node:fs';
import { startBrowserHost } from './services.js';

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error('Chromium not found: install Debian\'s chromium (apt-get install chromium) or set CHROMIUM_PATH');
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A page that fails the test on any uncaught error in the renderer. */
export async function openApp(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon/.test(m.text())) errors.push(m.text());
  });
  await page.goto(url);
  return { page, errors };
}

/** Browser mode started on a temp data dir, headless Chromium, and the app open in one page. */
export interface AppSession {
  host: Awaited<ReturnType<typeof startBrowserHost>>;
  browser: Browser;
  page: Page;
  errors: string[];
  close(): Promise<void>;
}

export async function openAppSession(env: Record<string, string> = {}): Promise<AppSession> {
  const host = await startBrowserHost([], env);
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await host.stop();
  };
  try {
    browser = await launchBrowser();
    const { page, errors } = await openApp(browser, host.url);
    return { host, browser, page, errors, close };
  } catch (e) {
    await close(); // nothing left running when the start itself fails
    throw e;
  }
}

/**
 * A fresh app for each test of a file, so that no test depends on another
 * having run before it: `open(t)` starts a browser-mode host on its own data
 * folder (empty, or one handed over, e.g. a cloneDataDir copy, which it then
 * owns and removes) and opens the app in a new page; both go when test `t`
 * ends. One Chromium serves the whole file. Call at the top level of the file.
 */
export function appPerTest(): { open(t: TestContext, dataDir?: string): Promise<AppSession> } {
  let browser: Browser | undefined;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  return {
    async open(t, dataDir) {
      if (!browser) throw new Error('appPerTest: the browser did not start');
      const host = await startBrowserHost([], dataDir ? { RESTORA_HOME: dataDir } : {});
      let page: Page | undefined;
      const close = async () => {
        await page?.context().close();
        await host.stop();
      };
      t.after(close);
      const opened = await openApp(browser, host.url);
      page = opened.page;
      return { host, browser, page, errors: opened.errors, close };
    },
  };
}
