// Helpers for the browser tests: the real server as a child process, Debian's Chromium, and a
// driver that reads the client's read-only snapshot and acts only with real mouse and keys.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

// TOOLCHAIN.md: software WebGL2 and no background traffic. Playwright gives each launch a fresh
// temporary profile (it refuses --user-data-dir in args).
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

// Starts the server and resolves once it prints "listening on http://127.0.0.1:PORT/".
export async function startServer({ port = 0, dataDir } = {}) {
  const args = ['--host', '127.0.0.1', '--port', String(port),
                '--web-root', process.env.CHAT_SITE_DIR, '--data-dir', dataDir];
  const child = spawn(process.env.CHAT_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 10000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
      if (match) { clearTimeout(timer); resolve(Number(match[1])); }
    });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${output}`)); });
  });
  const actualPort = await listening;
  let stopping = false;
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`# server exited unexpectedly (${code ?? signal}):\n${output}`);
  });
  return {
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}/`,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// One browser page running the client, driven like a person would.
export class ChatPage {
  static async open(browser, url, name) {
    const context = await browser.newContext({ viewport: { width: 960, height: 640 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    const page = await context.newPage();
    const chatPage = new ChatPage(name, context, page);
    page.on('pageerror', (error) => chatPage.errors.push(String(error)));
    await page.goto(url);
    await chatPage.waitFor((s) => s.connection === 'online', 'connected');
    return chatPage;
  }

  constructor(name, context, page) {
    this.name = name;
    this.context = context;
    this.page = page;
    this.errors = [];
  }

  snapshot() { return this.page.evaluate(() => window.chatSnapshot()); }

  // Polls the snapshot until predicate(snapshot) holds; fails with the last snapshot.
  async waitFor(predicate, what, timeoutMs = 15000) {
    const deadline = Date.now() + timeoutMs;
    let last = null;
    while (Date.now() < deadline) {
      last = await this.snapshot();
      if (last && predicate(last)) return last;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const shown = last ? { ...last, widgets: Object.keys(last.widgets || {}) } : last;
    throw new Error(`${this.name}: timed out waiting for ${what}; last snapshot: ${JSON.stringify(shown)}`);
  }

  // Lets the program draw a few frames, so that it has seen the events sent so far.
  async frames(count = 3) {
    await this.page.evaluate((n) => new Promise((resolve) => {
      const step = (left) => (left === 0 ? resolve() : requestAnimationFrame(() => step(left - 1)));
      step(n);
    }), count);
  }

  async click(widget, button = 'left') {
    const s = await this.waitFor((snap) => snap.widgets[widget], `widget ${widget}`);
    const r = s.widgets[widget];
    await this.page.mouse.click(r.x + Math.min(r.width / 2, 40), r.y + r.height / 2, { button });
    await this.frames();
  }

  // Clicks a text field, waits until it has the keyboard, and types (real key/input events).
  async typeInto(widget, text) {
    await this.click(widget);
    await this.waitFor((s) => s.activeField === widget, `${widget} to be active`);
    await this.page.keyboard.type(text);
    await this.frames();
  }

  async press(keys) {
    await this.page.keyboard.press(keys);
    await this.frames();
  }

  async screenshot(file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return this.page.screenshot({ path: file });
  }

  async close() { await this.context.close(); }
}

export const chatLines = (s) => s.log.filter((line) => line.kind === 'chat');
export const hasLine = (s, user, text) =>
  chatLines(s).some((line) => line.user === user && line.text === text);

// Standard deviation of the grey level of a PNG, computed by the browser's own decoder.
export async function pixelDeviation(page, png) {
  return page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let sum = 0;
    let sumSquares = 0;
    const count = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      const grey = (data[i] + data[i + 1] + data[i + 2]) / 3;
      sum += grey;
      sumSquares += grey * grey;
    }
    const mean = sum / count;
    return Math.sqrt(sumSquares / count - mean * mean);
  }, png.toString('base64'));
}
