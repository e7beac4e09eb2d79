// The package's public surface: the framework-free core, the Zustand store and the React hooks.
export * from './core/index.js';
export * from './store/agentStore.js';
export * from './react/AgentStoreContext.js';
export * from './react/useAgentSSE.js';
export * from './react/useAgentExecution.js';
