/** The page's entry (bundled for the browser): fetch the BFF's configuration, run the session, report. */
import { runBrowserSession, type BrowserConfig } from './browser.js';

const config = (await (await fetch('/config.json')).json()) as BrowserConfig;
try {
  (globalThis as { __result?: unknown }).__result = await runBrowserSession(config);
} catch (error) {
  (globalThis as { __result?: unknown }).__result = { error: String(error) };
}
