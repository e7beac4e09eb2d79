import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const apiDir = fileURLToPath(new URL('../../../src/Api/', import.meta.url));
const apiDll = process.env.AGENT_API_DLL ?? `${apiDir}bin/Release/net10.0/Orleans.Agent.Api.dll`;

/** A port nobody listens on right now (the OS picks it), never a fixed one. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, api: ChildProcess, output: () => string, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (api.exitCode !== null) {
      throw new Error(`The API exited with ${api.exitCode} before it was ready:\n${output()}`);
    }
    const ready = await fetch(url).then(r => r.ok, () => false);
    if (ready) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error(`The API was not ready within ${deadlineMs / 1000} s:\n${output()}`);
}

/**
 * Starts the built API (Development, in-process silo, memory storage) on free loopback ports, with its content
 * root in src/Api so that it serves the console from src/Api/wwwroot, exactly as `dotnet run` does.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(apiDll)) {
    throw new Error(`${apiDll} is missing: build the API first (dotnet build src/Api -c Release).`);
  }
  if (!existsSync(`${apiDir}wwwroot/index.html`)) {
    throw new Error('src/Api/wwwroot/index.html is missing: build the console first (npm run build).');
  }
  const [http, silo, gateway] = [await freePort(), await freePort(), await freePort()];
  const baseUrl = `http://127.0.0.1:${http}`;
  let log = '';
  const api = spawn('dotnet', [
    apiDll, '--urls', baseUrl, '--environment', 'Development',
    `--Silo:SiloPort=${silo}`, `--Silo:GatewayPort=${gateway}`,
  ], { cwd: apiDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => { log = (log + chunk.toString()).slice(-20_000); };
  api.stdout!.on('data', keep);
  api.stderr!.on('data', keep);

  try {
    await waitUntilReady(`${baseUrl}/health/ready`, api, () => log, 120_000);
  } catch (error) {
    api.kill('SIGKILL');
    throw error;
  }
  process.env.AGENT_API_URL = baseUrl;

  return async () => {
    if (api.exitCode === null) {
      const exited = new Promise(resolve => api.once('exit', resolve));
      api.kill('SIGTERM');
      const timer = setTimeout(() => api.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  };
}
