/**
 * Debian's Chromium, which the end-to-end tests and the benchmark drive:
 * Playwright cannot download its own browser on our machines, and
 * scripts/ensure-services.sh installs this one.
 */
export const chromiumPath = () =>
  process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless without the sandbox (we run as root in containers) and without
 * the browser's own network traffic (updates, sync, QUIC probes), which
 * would reach for hosts these machines cannot and add noise to timings.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
