import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';

import { DEMO_ADMIN } from './admin';
import { startPlayground, type Playground } from './playground';

/** Screenshots of the e2e tests land here (git-ignored, kept by CI as artifacts). */
export const SCREENSHOT_DIR = path.resolve(__dirname, '../../test-results/e2e');

/**
 * Debian's Chromium, headless. Without the background-networking flags Chromium keeps trying to
 * reach Google's hosts, which this machine's closed network refuses.
 */
export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });

export const screenshot = async (page: Page, name: string) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
};

/** Logs in to the admin panel at `url` with the demo credentials, as an editor would. */
export const logIn = async (page: Page, url: string) => {
  await page.goto(`${url}/admin/auth/login`);
  await page.getByLabel(/email/i).fill(DEMO_ADMIN.email);
  await page
    .getByLabel(/password/i)
    .first()
    .fill(DEMO_ADMIN.password);
  await page.getByRole('button', { name: /login/i }).click();
  await page.waitForURL(/\/admin\/?$/);
};

/** The admin's language from the next page load on, as its profile menu sets it. */
export const setLanguage = (page: Page, language: 'en' | 'de') =>
  page.evaluate((value) => localStorage.setItem('strapi-admin-language', value), language);

/** The languages and window widths every screen is looked at in. */
export const LAYOUTS = [
  ['en', 1280],
  ['en', 1440],
  ['de', 1280],
  ['de', 1440],
] as const;

export interface AdminSession {
  app: Playground;
  browser: Browser;
  page: Page;
}

/**
 * For a test file: the playground with the demo story, serving its built admin panel, and a
 * Chromium page on it; both closed after the file's last test.
 */
export const useAdminSession = (viewport = { width: 1440, height: 1000 }): AdminSession => {
  const session = {} as AdminSession;
  beforeAll(async () => {
    session.app = await startPlayground({ seed: true, serveAdminPanel: true });
    session.browser = await launchBrowser();
    session.page = await session.browser.newPage({ viewport });
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.app?.stop();
  });
  return session;
};
