import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const apiDir = fileURLToPath(new URL('../../../src/Api/', import.meta.url));
const apiDll = process.env.AGENT_API_DLL ?? `${apiDir}bin/Release/net10.0/Orleans.Agent.Api.dll`;

export interface ApiProcess { baseUrl: string; stop(): Promise<void> }

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

/**
 * Starts the built API (Development, in-process silo, memory storage) on free loopback ports (HTTP, silo,
 * gateway), with its content root in src/Api so that it serves the console from src/Api/wwwroot exactly as
 * `dotnet run` does, and waits until it is ready. `settings` are extra configuration keys (`--Model:MaxIterations=1`).
 */
export async function startApi(settings: string[] = []): Promise<ApiProcess> {
  if (!existsSync(apiDll)) {
    throw new Error(`${apiDll} is missing: build the API first (dotnet build src/Api -c Release).`);
  }
  if (!existsSync(`${apiDir}wwwroot/index.html`)) {
    throw new Error('src/Api/wwwroot/index.html is missing: build the console first (npm run build in clients/web).');
  }
  const [http, silo, gateway] = [await freePort(), await freePort(), await freePort()];
  const baseUrl = `http://127.0.0.1:${http}`;
  let log = '';
  const api = spawn('dotnet', [
    apiDll, '--urls', baseUrl, '--environment', 'Development',
    // Development writes the builtin model's text at a person's pace; tests that want it set their own.
    `--Silo:SiloPort=${silo}`, `--Silo:GatewayPort=${gateway}`, '--Model:BuiltinChunkDelay=00:00:00', ...settings,
  ], { cwd: apiDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => { log = (log + chunk.toString()).slice(-20_000); };
  api.stdout!.on('data', keep);
  api.stderr!.on('data', keep);
  const exited = new Promise(resolve => api.once('exit', resolve));

  const stop = async () => {
    if (api.exitCode === null && api.signalCode === null) {
      api.kill('SIGTERM');
      const timer = setTimeout(() => api.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  };

  const deadline = Date.now() + 120_000;
  while (!(await fetch(`${baseUrl}/health/ready`).then(r => r.ok, () => false))) {
    if (api.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`The API ${api.exitCode !== null ? `exited with ${api.exitCode}` : 'was not ready within 120 s'}:\n${log}`);
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  return { baseUrl, stop };
}
