import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AgentState, AgentStore } from '../store/agentStore.js';

/** The store the hooks read; one per page, given by `<AgentStoreContext.Provider value={store}>`. */
export const AgentStoreContext = createContext<AgentStore | null>(null);

/** Selects from the page's agent store; re-renders only when the selected value changes. */
export function useAgentStore<T>(select: (state: AgentState) => T): T {
  const store = useContext(AgentStoreContext);
  if (!store) {
    throw new Error('The agent hooks need an AgentStoreContext.Provider above them.');
  }
  return useStore(store, select);
}
