// The framework-free core (`@orleans-agent/client/core`): the API, one execution's stream with resume, the event
// contract and the view fold. Needs neither React nor Zustand.
export * from './events.js';
export * from './snapshotFold.js';
export * from './executionView.js';
export * from './reconnectPolicy.js';
export * from './connectionStatus.js';
export * from './agentApi.js';
export * from './executionStream.js';
export * from './liveText.js';
