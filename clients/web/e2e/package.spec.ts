import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import react from '@vitejs/plugin-react';
import { build, preview, type PreviewServer } from 'vite';
import { apiUrl } from './console';

// The client as a front-end developer gets it: `npm pack` of packages/client, installed into a scratch app outside
// this workspace (its own node_modules, from the tarball and the registry), the README's code as the app. It must
// type-check, and its hooks must render a run against the real API.

const workspace = fileURLToPath(new URL('..', import.meta.url));
const packageDir = join(workspace, 'packages', 'client');
const workspaceRequire = createRequire(join(workspace, 'package.json'));
const version = (name: string) => (workspaceRequire(`${name}/package.json`) as { version: string }).version;

/** The README's code blocks of a language, in order. */
function readmeBlocks(language: string): string[] {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  return [...readme.matchAll(new RegExp('^```' + language + '\\n([\\s\\S]*?)^```', 'gm'))].map(m => m[1]);
}

let scratch: string;
let server: PreviewServer | undefined;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  scratch = mkdtempSync(join(tmpdir(), 'orleans-agent-client-'));
  execFileSync('npm', ['pack', '--pack-destination', scratch, '--silent'], { cwd: packageDir, stdio: 'pipe' });
  const tarball = readdirSync(scratch).find(f => f.endsWith('.tgz'))!;
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({
    name: 'scratch-app', private: true, type: 'module',
    dependencies: {
      '@orleans-agent/client': `file:./${tarball}`,
      react: version('react'), 'react-dom': version('react-dom'), zustand: version('zustand'),
    },
    devDependencies: { '@types/react': version('@types/react'), '@types/react-dom': version('@types/react-dom') },
  }, null, 2));
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: scratch, stdio: 'pipe' });

  mkdirSync(join(scratch, 'src'));
  const [app] = readmeBlocks('tsx');
  writeFileSync(join(scratch, 'src', 'App.tsx'), app);
  readmeBlocks('ts').forEach((code, i) => writeFileSync(join(scratch, 'src', `example${i}.ts`), `export {};\n${code}`));
  // The page signs in with a development token, as an app would with its identity provider, then renders the App.
  // Also a stream of the framework-free core with the server's ?types= filter, for the test to drive.
  writeFileSync(join(scratch, 'src', 'main.tsx'), `
import { createRoot } from 'react-dom/client';
import { AgentApi, ExecutionStream, type AgentEvent } from '@orleans-agent/client/core';
import { App } from './App';

const response = await fetch('/api/dev/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId: 'package-user' }) });
sessionStorage.setItem('agent-token', (await response.json()).token);
createRoot(document.getElementById('root')!).render(<App />);

(window as unknown as { followToolCalls(task: string): Promise<{ events: AgentEvent[]; reconnects: number }> }).followToolCalls = async task => {
  const api = new AgentApi({ getToken: () => sessionStorage.getItem('agent-token') });
  const { executionId } = await api.execute(task);
  const events: AgentEvent[] = [];
  let reconnects = 0;
  return new Promise((resolve, reject) => {
    const stream = new ExecutionStream(api, executionId, {
      onEvent: event => {
        events.push(event);
        if (event.type === 'execution:complete' || event.type === 'execution:error' || event.type === 'execution:cancelled') {
          stream.close();
          resolve({ events, reconnects });
        }
      },
      onReset: () => reject(new Error('unexpected stream:reset')),
      onStatus: status => {
        reconnects += status.state === 'reconnecting' ? 1 : 0;
        if (status.state === 'failed') reject(new Error('stream failed'));
      },
    }, { types: ['tool:complete'] });
    stream.start();
  });
};
`);
  writeFileSync(join(scratch, 'index.html'), '<!doctype html><html><body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body></html>');
  writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', lib: ['ES2023', 'DOM', 'DOM.Iterable'], module: 'ESNext', moduleResolution: 'Bundler',
      jsx: 'react-jsx', strict: true, noEmit: true, isolatedModules: true, skipLibCheck: false, types: [],
    },
    include: ['src'],
  }));
});

test.afterAll(async () => {
  await server?.close();
  if (scratch) {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('the packed package type-checks in an app of its own, with the README code as written', () => {
  const tsc = workspaceRequire.resolve('typescript/bin/tsc');
  const installed = JSON.parse(readFileSync(join(scratch, 'node_modules', '@orleans-agent', 'client', 'package.json'), 'utf8')) as { exports: Record<string, unknown> };

  const result = (() => {
    try {
      return execFileSync(process.execPath, [tsc, '-p', scratch], { stdio: 'pipe' }).toString();
    } catch (error) {
      return (error as { stdout: Buffer }).stdout.toString() || String(error);
    }
  })();

  expect(result).toBe('');
  expect(Object.keys(installed.exports)).toEqual(expect.arrayContaining(['.', './core']));
});

test("the README's hooks render a run against the real API from the installed package", async ({ page }) => {
  await build({ root: scratch, configFile: false, logLevel: 'silent', plugins: [react()] });
  server = await preview({
    root: scratch, configFile: false, logLevel: 'silent',
    preview: { host: '127.0.0.1', port: 0, strictPort: false, proxy: { '/api': apiUrl() } },
  });
  const url = server.resolvedUrls!.local[0];

  await page.goto(url);
  await page.getByRole('button', { name: 'Start' }).click();

  const execution = page.getByTestId('execution');
  await expect(execution).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId('result')).toContainText('Created a landing page');
  await expect(execution.getByText('Build the landing page: completed')).toBeVisible();
  await expect(execution.getByText(/^create_file: \d+ ms$/).first()).toBeVisible();
  const events = Number(await execution.getAttribute('data-events'));
  expect(events).toBeGreaterThan(10);
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeDisabled();

  // The core alone (the ./core export), asking the server for tool completions only: it still ends with the run.
  const { events: filtered, reconnects } = await page.evaluate(() =>
    (window as unknown as { followToolCalls(task: string): Promise<{ events: { type: string; sequence: number }[]; reconnects: number }> })
      .followToolCalls('Create a landing page for a coffee shop'));
  expect(filtered.map(e => e.type)).toEqual([...filtered.slice(0, -1).map(() => 'tool:complete'), 'execution:complete']);
  expect(filtered.length).toBeGreaterThan(2);
  const sequences = filtered.map(e => e.sequence);
  expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
  expect(sequences.some((s, i) => i > 0 && s !== sequences[i - 1] + 1)).toBe(true); // gaps, by design of the filter
  expect(reconnects).toBe(0); // which the client does not take for lost events
});
