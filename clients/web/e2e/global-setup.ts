import { startApi } from './apiProcess';

/** One API for the whole run; its address reaches the tests as AGENT_API_URL. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const api = await startApi();
  process.env.AGENT_API_URL = api.baseUrl;
  return api.stop;
}
