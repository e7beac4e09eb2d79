import { describe, expect, it } from 'vitest';
import { createAgentStore } from '../src/store/agentStore';
import { completedRun, event, executionId, FakeBackend, settle } from './fakes';

function setup() {
  const backend = new FakeBackend();
  const store = createAgentStore({ api: backend.api, stream: backend.streamOptions });
  return { backend, store, state: () => store.getState() };
}

const run = completedRun();

describe('agent store', () => {
  it('subscribeToExecution folds the stream into executions[id] and exposes the connection status', async () => {
    const { backend, state } = setup();
    state().subscribeToExecution(executionId);
    expect(state().connections[executionId]).toEqual({ state: 'connecting' });
    await settle();
    backend.source.open();
    expect(state().connections[executionId]).toEqual({ state: 'open' });
    backend.source.send(...run.slice(0, 6));
    expect(state().executions[executionId].snapshot).toMatchObject({ status: 'running', lastSequence: 6, toolCalls: 1 });
    backend.source.send(...run.slice(6));
    expect(state().executions[executionId].snapshot.status).toBe('completed');
    expect(state().connections[executionId]).toEqual({ state: 'closed' });
  });

  it('what a stream delivers between two frames reaches the store as one change, in order', async () => {
    const backend = new FakeBackend();
    const frames: (() => void)[] = [];
    const store = createAgentStore({ api: backend.api, stream: backend.streamOptions, scheduleUpdate: flush => frames.push(flush) });
    store.getState().subscribeToExecution(executionId);
    expect(store.getState().connections[executionId]).toEqual({ state: 'connecting' }); // at once, not at the next frame
    await settle();
    frames.splice(0).forEach(flush => flush()); // the frame 'connecting' asked for: nothing left to apply
    let changes = 0;
    store.subscribe(() => { changes += 1; });
    backend.source.open();
    backend.source.send(...run);
    expect(store.getState().executions[executionId]).toBeUndefined(); // nothing rendered between frames
    expect(frames).toHaveLength(1); // one frame asked for, however many messages
    frames.shift()!();
    expect(changes).toBe(1);
    expect(store.getState().executions[executionId].sequences).toEqual(run.map(e => e.sequence));
    expect(store.getState().connections[executionId]).toEqual({ state: 'closed' }); // after the terminal event, as sent
  });

  it('handleEvent applies every type once and drops duplicates', () => {
    const { state } = setup();
    for (const e of [...run, ...run]) {
      state().handleEvent(e);
    }
    const view = state().executions[executionId];
    expect(view.sequences).toEqual(run.map(e => e.sequence));
    expect(view.steps).toHaveLength(4);
  });

  it('a second subscriber shares the stream; it closes when the last one leaves', async () => {
    const { backend, state } = setup();
    state().subscribeToExecution(executionId);
    state().subscribeToExecution(executionId);
    await settle();
    expect(backend.sources).toHaveLength(1);
    state().unsubscribeFromExecution(executionId);
    expect(backend.source.closed).toBe(false);
    state().unsubscribeFromExecution(executionId);
    expect(backend.source.closed).toBe(true);
    expect(state().connections[executionId]).toEqual({ state: 'closed' });
  });

  it('re-subscribing resumes after what the store holds, not from the start', async () => {
    const { backend, state } = setup();
    state().subscribeToExecution(executionId);
    await settle();
    backend.source.send(...run.slice(0, 4));
    state().unsubscribeFromExecution(executionId);
    state().subscribeToExecution(executionId);
    await settle();
    expect(backend.source.lastEventId).toBe(4);
  });

  it('does not connect for an execution that already ended', async () => {
    const { backend, state } = setup();
    run.forEach(e => state().handleEvent(e));
    state().subscribeToExecution(executionId);
    await settle();
    expect(backend.sources).toHaveLength(0);
    expect(state().connections[executionId]).toEqual({ state: 'closed' });
  });

  it('handleReset replaces the snapshot', () => {
    const { state } = setup();
    state().handleEvent(run[0]);
    const snapshot = { ...state().executions[executionId].snapshot, lastSequence: 30, status: 'cancelled' as const };
    state().handleReset(executionId, { reason: 'retention', requestedCursor: '1', snapshot });
    expect(state().executions[executionId].snapshot).toBe(snapshot);
    expect(state().executions[executionId].reset).toEqual({ reason: 'retention', atSequence: 30 });
  });

  it('startExecution posts the task and makes it current; a refused start sets error', async () => {
    const { backend, state } = setup();
    backend.responses['/api/agent/execute'] = { status: 202, body: { executionId, streamUrl: '/s' } };
    expect(await state().startExecution('Coffee', { workload: { phases: 1 } })).toBe(executionId);
    expect(backend.requests.at(-1)).toMatchObject({ body: { task: 'Coffee', context: { workload: { phases: 1 } } }, authorization: 'Bearer user-jwt' });
    expect(state().currentExecutionId).toBe(executionId);
    expect(state().executions[executionId].snapshot).toMatchObject({ status: 'pending', task: 'Coffee' });

    backend.responses['/api/agent/execute'] = { status: 400, body: { title: 'Bad', detail: 'task is required and must not be blank.' } };
    expect(await state().startExecution(' ')).toBeNull();
    expect(state().error).toBe('task is required and must not be blank.');
  });

  it('cancelExecution posts to the current execution; a 409 sets error', async () => {
    const { backend, state } = setup();
    state().selectExecution(executionId);
    backend.responses['/cancel'] = { status: 202, body: { executionId, cancelled: true, status: 'cancelled' } };
    await state().cancelExecution(undefined, 'enough');
    expect(backend.requests.at(-1)).toMatchObject({ method: 'POST', url: `/api/agent/executions/${executionId}/cancel`, body: { reason: 'enough' } });
    expect(state().error).toBeNull();
    backend.responses['/cancel'] = { status: 409, body: { detail: 'The execution already completed.' } };
    await state().cancelExecution();
    expect(state().error).toBe('The execution already completed.');
  });

  it('the cancelled terminal event ends the stream with the cancelled state', async () => {
    const { backend, state } = setup();
    state().subscribeToExecution(executionId);
    await settle();
    backend.source.send(...run.slice(0, 5), event(6, 'execution:cancelled', { reason: 'enough', by: 'alice' }));
    expect(state().executions[executionId].snapshot.status).toBe('cancelled');
    expect(state().connections[executionId]).toEqual({ state: 'closed' });
  });
});
