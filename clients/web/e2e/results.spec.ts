import { expect, test } from '@playwright/test';
import { ConsolePage } from './console';

// What a run produced, as a user opens it: the files it wrote (a page rendered in a sandboxed frame, Markdown
// rendered, each downloadable) and the model's text as Markdown that cannot run anything.

const hostile = 'Coffee **bold** <script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> shop';
const hostileRendered = hostile.replace('**bold**', 'bold'); // as Markdown: the asterisks make it strong

test('model text renders as Markdown, and HTML in it shows as text that runs nothing', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.signIn('e2e-markdown');
  await console.start(hostile); // the built-in model quotes the task in its first thought and in its result
  await console.waitForStatus('completed');

  const thought = page.locator('[data-testid=thinking][data-iteration="1"] .thought');
  await expect(thought.locator('strong')).toHaveText('bold');
  await expect(thought).toContainText('<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">');
  const result = page.getByTestId('result');
  await expect(result.locator('strong')).toHaveText('bold');
  await expect(result).toContainText('<script>window.pwned = 1</script>');
  expect(await page.locator('.markdown script, .markdown img').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  // The whole result shows, not one line of it.
  const [shown, scrollable] = await result.evaluate(e => [e.getBoundingClientRect().height, e.scrollWidth <= e.clientWidth]);
  expect(shown).toBeGreaterThan(20);
  expect(scrollable).toBe(true);
});

test('the files a run wrote are listed, previewed (a page in a sandboxed frame, Markdown rendered) and downloaded', async ({ page, request }) => {
  const console = new ConsolePage(page);
  await console.signIn('e2e-files');
  const id = await console.start(hostile);
  await console.waitForStatus('completed');

  const files = page.getByTestId('file');
  await expect(files).toHaveCount(2);
  expect(await files.evaluateAll(li => li.map(e => e.getAttribute('data-path')).sort())).toEqual(['README.md', 'index.html']);

  // The page: rendered in a frame that may run nothing, loaded with a stream token (never the bearer token).
  await page.getByRole('button', { name: 'Preview index.html' }).click();
  const dialog = page.getByTestId('file-preview');
  await expect(dialog).toBeVisible();
  const frame = dialog.locator('iframe');
  await expect(frame).toHaveAttribute('sandbox', '');
  const src = (await frame.getAttribute('src'))!;
  expect(src).toMatch(new RegExp(`/api/agent/executions/${id}/files/index\\.html\\?access_token=`));
  const bearer = await console.bearerToken();
  expect(src).not.toContain(bearer);
  await expect(page.frameLocator('[data-testid=file-preview] iframe').locator('h1')).toHaveText(hostile);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // Markdown: rendered, the task's HTML as text.
  await page.getByRole('button', { name: 'Preview README.md' }).click();
  await expect(page.getByTestId('preview-markdown').locator('h1')).toHaveText(hostileRendered);
  await expect(page.getByTestId('preview-markdown').locator('h1 strong')).toHaveText('bold');
  await expect(page.getByTestId('preview-markdown')).toContainText('A static landing page.');

  // Download: the server's bytes, under the file's name.
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download' }).click()]);
  expect(download.suggestedFilename()).toBe('README.md');
  let saved = '';
  for await (const chunk of await download.createReadStream()) {
    saved += String(chunk);
  }
  const served = await request.get(`${console.baseUrl}/api/agent/executions/${id}/files/README.md`, { headers: { Authorization: `Bearer ${bearer}` } });
  expect(saved).toBe(await served.text());
  expect(saved).toMatch(/^# Coffee \*\*bold\*\* <script>/);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
});
