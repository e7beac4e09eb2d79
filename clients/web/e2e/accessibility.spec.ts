import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { ConsolePage } from './console';

// The console at every screen size from a phone's up, by keyboard alone, and under axe-core's checks.

/** axe-core's serious and critical findings on the page as it is now (WCAG 2.1 A and AA rules and best practices). */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`);
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('axe-core finds nothing serious on the sign-in page, a finished run with its history and files, and a preview', async ({ page }) => {
  await page.goto(`${new ConsolePage(page).baseUrl}/`);
  expect(await seriousViolations(page)).toEqual([]);

  const console = new ConsolePage(page);
  await console.signIn(`e2e-axe-${Date.now()}`); // a user of its own: the test counts the history
  await console.start('Create a landing page for a coffee shop');
  await console.waitForStatus('completed');
  await expect(page.getByTestId('history-item')).toHaveCount(1);
  await expect(page.getByTestId('file')).toHaveCount(2);
  await page.getByText('Events received').click(); // the event log open too
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Preview README.md' }).click();
  await expect(page.getByTestId('preview-markdown')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

for (const width of [360, 390, 768]) {
  test(`no horizontal scrolling at ${width} px, signed out, running and finished`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    const console = new ConsolePage(page);
    await page.goto(`${console.baseUrl}/`);
    expect(await overflow(page)).toBe(0);
    await console.signIn(`e2e-narrow-${width}`);
    await console.start('Create a landing page for a coffee shop'); // a result and files
    await console.waitForStatus('completed');
    await expect(page.getByTestId('file')).toHaveCount(2);
    expect(await overflow(page)).toBe(0);
    await console.start('A task with a long unbroken word: supercalifragilisticexpialidocious_and_then_some_more_characters_to_overflow', { workload: { phases: 2, steps: 3, delayMs: 300, thoughtBytes: 400 } });
    await console.waitForSequence(6);
    expect(await overflow(page)).toBe(0);
    await console.waitForStatus('completed');
    expect(await overflow(page)).toBe(0);
    // Everything a user acts on is within the screen, not cut off at its right edge.
    const cutOff = await page.locator('button:visible, a:visible, [data-testid=phase], [data-testid=status]').evaluateAll(
      (elements, right) => elements.filter(e => e.getBoundingClientRect().right > right + 0.5).map(e => e.outerHTML.slice(0, 80)), width);
    expect(cutOff).toEqual([]);
  });
}

test('keyboard only: start with Ctrl+Enter, open a run from the history, preview and close a file, with focus always shown', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.signIn(`e2e-keyboard-${Date.now()}`);
  const task = page.getByLabel('Task', { exact: true });
  await task.fill('Create a landing page for a coffee shop');
  await task.press('Control+Enter');
  await console.waitForStatus('completed');
  const first = await console.execution().getAttribute('data-execution-id');
  await task.fill('Create a landing page for a tea room');
  await task.press('Control+Enter');
  await expect(console.execution()).not.toHaveAttribute('data-execution-id', first!);
  await console.waitForStatus('completed');

  // Tab to the older run in the history and open it with Enter; its id goes in the URL.
  const older = page.locator(`[data-testid=history-item][data-execution-id="${first}"] .history-open`);
  for (let i = 0; i < 40 && !(await older.evaluate(e => e === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(older).toBeFocused();
  expect(await older.evaluate(e => getComputedStyle(e).outlineStyle)).not.toBe('none'); // focus is visible
  await page.keyboard.press('Enter');
  await expect(console.execution()).toHaveAttribute('data-execution-id', first!);
  expect(new URL(page.url()).searchParams.get('execution')).toBe(first);

  // A file's preview opens from the keyboard, Escape closes it and focus returns to where it was.
  const preview = page.getByRole('button', { name: 'Preview README.md' });
  await preview.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('file-preview')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('file-preview')).toHaveCount(0);
  await expect(preview).toBeFocused();
});
