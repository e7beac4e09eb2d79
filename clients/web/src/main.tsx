import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AgentApi, AgentStoreContext, createAgentStore } from '@orleans-agent/client';
import { ApiContext } from './ApiContext';
import { App } from './App';
import { loadUser } from './session';
import './styles.css';

const api = new AgentApi({ getToken: () => loadUser()?.token ?? null });
const store = createAgentStore({ api });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiContext.Provider value={api}>
      <AgentStoreContext.Provider value={store}>
        <App />
      </AgentStoreContext.Provider>
    </ApiContext.Provider>
  </StrictMode>,
);
