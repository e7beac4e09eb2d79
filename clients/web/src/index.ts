// The package's public surface: the framework-free core, the store and the React hooks.
export * from './core/events';
export * from './core/snapshotFold';
export * from './core/executionView';
export * from './core/reconnectPolicy';
export * from './core/connectionStatus';
export * from './core/agentApi';
export * from './core/executionStream';
export * from './store/agentStore';
export * from './react/AgentStoreContext';
export * from './react/useAgentSSE';
export * from './react/useAgentExecution';
export * from './core/liveText';
