// The Node.js/Express floor bench/LoadGen compares Orleans.Agent with: the API shape of bench/BaselineServer (execute,
// stream, cancel), the same synthetic workload and the same event JSON, written the way a plain Express server would
// be: events in a per-execution array in memory, pushed to each watching response with res.write. No log store, no
// auth, no limits. Usage: node server.mjs --urls http://127.0.0.1:PORT
import express from 'express';
import { randomUUID } from 'node:crypto';

const url = new URL(process.argv[process.argv.indexOf('--urls') + 1] ?? 'http://127.0.0.1:5000');
const executions = new Map();

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '1mb' }));

app.get('/health/ready', (_req, res) => res.type('text/plain').send('ready'));

app.post('/api/agent/execute', (req, res) => {
  const workload = readWorkload(req.body);
  if (typeof workload === 'string') {
    return problem(res, 400, workload);
  }

  const execution = { id: randomUUID().replaceAll('-', ''), frames: [], watchers: new Set(), cancelled: false };
  executions.set(execution.id, execution);
  setImmediate(() => run(execution, req.body.task, workload)); // answer the POST first, as the grain does
  res.status(202).json({ executionId: execution.id, streamUrl: `/api/agent/stream/${execution.id}` });
});

app.get('/api/agent/stream/:id', (req, res) => {
  const execution = executions.get(req.params.id);
  if (!execution) {
    return problem(res, 404, 'No such execution.');
  }

  const after = Number.parseInt(req.get('Last-Event-ID') ?? '0', 10) || 0;
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  const backlog = execution.frames.slice(Math.max(after, 0));
  res.write('retry: 1000\n\n' + backlog.map((f) => f.text).join(''));
  if (execution.frames.at(-1)?.terminal) {
    return res.end();
  }

  execution.watchers.add(res);
  res.on('close', () => execution.watchers.delete(res));
});

app.post('/api/agent/executions/:id/cancel', (req, res) => {
  const execution = executions.get(req.params.id);
  if (!execution) {
    return problem(res, 404, 'No such execution.');
  }

  execution.cancelled = true;
  execution.wake?.();
  res.status(202).json({ executionId: execution.id, cancelled: true });
});

app.use((err, _req, res, _next) => problem(res, err.status ?? 400, err.message));

const server = app.listen(Number(url.port), url.hostname, () => console.log(`Node baseline listening on ${url.origin}`));
server.requestTimeout = 0; // streams are long requests; Node's 5-minute default would cut them
process.on('SIGTERM', () => process.exit(0));

function problem(res, status, detail) {
  const title = status === 404 ? 'Not found' : 'Bad request';
  res.status(status).type('application/problem+json').send(JSON.stringify({ title, status, detail }));
}

/** context.workload as the built-in model reads it, or a string saying why not. */
function readWorkload(body) {
  const w = body?.context?.workload;
  if (typeof body?.task !== 'string' || body.task.length === 0 || typeof w !== 'object' || w === null) {
    return 'The baseline runs only {task, context: {workload}}.';
  }

  for (const name of ['phases', 'steps', 'delayMs', 'thoughtBytes']) {
    if (!Number.isInteger(w[name]) || w[name] < (name === 'phases' ? 1 : 0)) {
      return `context.workload.${name} must be a whole number.`;
    }
  }

  return { phases: w.phases, steps: w.steps, delayMs: w.delayMs, thoughtBytes: w.thoughtBytes, toolBytes: w.toolBytes ?? 0 };
}

function append(execution, type, data) {
  const sequence = execution.frames.length + 1;
  const json = JSON.stringify({ executionId: execution.id, sequence, type, timestamp: new Date().toISOString(), data });
  const frame = { text: `id: ${sequence}\nevent: ${type}\ndata: ${json}\n\n`, terminal: type.startsWith('execution:') && type !== 'execution:started' };
  execution.frames.push(frame);
  for (const res of execution.watchers) {
    res.write(frame.text);
    if (frame.terminal) {
      res.end();
    }
  }
}

/** Waits, or stops early when the execution is cancelled. */
function delay(execution, ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    execution.wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}

/** The synthetic workload of src/Grains/Agents/SyntheticWorkloadRun.cs: 3 + phases x (2 + 3 x steps) events. */
async function run(execution, task, w) {
  const started = new Date();
  append(execution, 'execution:started', { task, startedAt: started.toISOString() });
  const phases = Array.from({ length: w.phases }, (_, i) => ({ id: `phase-${i + 1}`, name: `Synthetic phase ${i + 1}`, status: 'pending' }));
  append(execution, 'plan:created', { plan: { goal: `Synthetic workload: ${w.phases} phases x ${w.steps} steps`, phases } });
  let iteration = 0;
  for (let p = 0; p < phases.length; p++) {
    append(execution, 'phase:start', { phaseId: phases[p].id, phaseName: phases[p].name, phaseIndex: p });
    for (let step = 1; step <= w.steps; step++) {
      if (w.delayMs > 0) {
        await delay(execution, w.delayMs);
      }

      if (execution.cancelled) {
        return append(execution, 'execution:cancelled', { reason: 'load test over', by: 'user' });
      }

      append(execution, 'thinking', { thought: thought(p + 1, step, w.thoughtBytes), iteration: ++iteration });
      const callId = `call_${iteration}`;
      const params = w.toolBytes ? { phase: p + 1, step, data: 'd'.repeat(w.toolBytes) } : { phase: p + 1, step };
      const called = Date.now();
      append(execution, 'tool:start', { toolName: 'noop', params, callId });
      append(execution, 'tool:complete', { toolName: 'noop', callId, result: { ok: true }, durationMs: Date.now() - called });
    }

    append(execution, 'phase:complete', { phaseId: phases[p].id, phaseName: phases[p].name });
  }

  const events = 3 + w.phases * (2 + 3 * w.steps);
  append(execution, 'execution:complete', {
    result: `Synthetic workload done: ${events} events.`,
    durationMs: Date.now() - started.getTime(),
    tokensUsed: { input: 0, output: 0, total: 0 },
  });
}

/** A readable thought of exactly `length` characters. */
function thought(phase, step, length) {
  let text = `Phase ${phase}, step ${step}: `;
  while (text.length < length) {
    text += 'thinking about the next move. ';
  }

  return text.slice(0, length);
}
