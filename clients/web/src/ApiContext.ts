import { createContext, useContext } from 'react';
import type { AgentApi } from '@orleans-agent/client';

/** The console's API client, for the few components that call it themselves (opening an artifact). */
export const ApiContext = createContext<AgentApi | null>(null);

export function useApi(): AgentApi {
  const api = useContext(ApiContext);
  if (!api) {
    throw new Error('useApi needs an ApiContext.Provider above it.');
  }
  return api;
}
