import { expect, test } from '@playwright/test';
import { ConsolePage, workload } from './console';

// The console's history: every run of the user, live, each one can be opened (by URL too) and cancelled; another tab
// of the same user sees them, another user none.

test('five runs started from the console all appear in the history, each opens and cancels, in every tab of its user only', async ({ page, browser }) => {
  const user = `e2e-history-${Date.now()}`;
  const console = new ConsolePage(page);
  await console.signIn(user);

  // Long runs (a step a second, 300 s unless cancelled), so that all five are running while the test looks at them.
  const ids: string[] = [];
  for (let i = 1; i <= 5; i++) {
    ids.push(await console.start(`history run ${i}`, workload(1, 300, 1000)));
  }
  const items = page.getByTestId('history-item');
  await expect(items).toHaveCount(5);
  expect(await items.evaluateAll(li => li.map(e => e.getAttribute('data-execution-id')))).toEqual([...ids].reverse()); // newest first
  const shortIds = await page.getByTestId('short-id').allTextContents();
  expect(new Set(shortIds.slice(-5)).size).toBe(5); // told apart at a glance, unlike their timestamp prefixes

  // Another tab of the same user sees the same runs; another user sees none.
  const sameUser = await browser.newPage();
  await new ConsolePage(sameUser).signIn(user);
  await expect(sameUser.getByTestId('history-item')).toHaveCount(5);
  expect(await sameUser.getByTestId('history-item').evaluateAll(li => li.map(e => e.getAttribute('data-execution-id')))).toEqual([...ids].reverse());
  const otherUser = await browser.newPage();
  await new ConsolePage(otherUser).signIn(`${user}-other`);
  await expect(otherUser.getByText('No executions yet.')).toBeVisible();
  await expect(otherUser.getByTestId('history-item')).toHaveCount(0);

  // Each opens from the list (and its URL names it), and each cancels from the list.
  for (const id of ids) {
    const item = page.locator(`[data-testid="history-item"][data-execution-id="${id}"]`);
    await item.locator('.history-open').click();
    await expect(console.execution()).toHaveAttribute('data-execution-id', id);
    expect(new URL(page.url()).searchParams.get('execution')).toBe(id);
    await item.getByRole('button', { name: /^Cancel/ }).click();
    await expect(item).toHaveAttribute('data-status', 'cancelled');
  }
  await expect(console.execution()).toHaveAttribute('data-status', 'cancelled');

  // A link to one opens it, in the same user's other tab.
  await sameUser.goto(`${console.baseUrl}/?execution=${ids[2]}`);
  await expect(sameUser.getByTestId('execution')).toHaveAttribute('data-execution-id', ids[2]);
  await expect(sameUser.getByTestId('execution')).toHaveAttribute('data-status', 'cancelled');
  await sameUser.close();
  await otherUser.close();
});

test('the history pages back: ten runs at first, the older ones on request, none twice', async ({ page, request }) => {
  const user = `e2e-history-pages-${Date.now()}`;
  const console = new ConsolePage(page);
  await console.signIn(user);
  // Twelve short runs started over HTTP: the page learns of them from the list alone.
  const token = await console.bearerToken();
  const ids: string[] = [];
  for (let i = 1; i <= 12; i++) {
    const answer = await request.post(`${console.baseUrl}/api/agent/execute`, { headers: { Authorization: `Bearer ${token}` }, data: { task: `paged run ${i}` } });
    ids.push(((await answer.json()) as { executionId: string }).executionId);
  }
  await page.reload();
  const items = page.getByTestId('history-item');
  await expect(items).toHaveCount(10);
  await page.getByRole('button', { name: 'Older executions' }).click();
  await expect(items).toHaveCount(12);
  expect(await items.evaluateAll(li => li.map(e => e.getAttribute('data-execution-id')))).toEqual([...ids].reverse());
  await expect(page.getByRole('button', { name: 'Older executions' })).toHaveCount(0);
});
