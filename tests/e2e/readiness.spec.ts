import { test, expect, openApp, expectRows } from './fixtures';
import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sectionTab, progress, findings } from './audit-page';

const BAD = join(fileURLToPath(new URL('../../', import.meta.url)), 'tests/fixtures/bad');

/** Analysis of the demo takes 5–20 s on two cores; leave room for a slow machine. */
const ANALYSIS = 120_000;

/** Wait until no load or analysis runs (the roles and context forms are disabled meanwhile). */
async function idle(page: Page): Promise<void> {
  await expect(progress(page)).toHaveCount(0, { timeout: ANALYSIS });
  await expect(page.getByTestId('role-target')).toBeEnabled();
}

/** Load the demo and open the readiness tab once the automatic analysis has finished. */
async function openDemoReadiness(page: Page): Promise<void> {
  await openApp(page);
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await sectionTab(page, 'Readiness & verdict').click({ timeout: ANALYSIS });
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: ANALYSIS });
  await idle(page);
}

/** Pick a role in its select and wait for the change the re-run must make. */
async function setRole(
  page: Page,
  testId: string,
  column: string,
  rerunDone: () => Promise<void>,
): Promise<void> {
  await page.getByTestId(testId).selectOption(column);
  await expect(page.getByTestId(testId)).toHaveValue(column);
  await rerunDone();
  await idle(page);
}

async function setAsOf(page: Page, date: string, rerunDone: () => Promise<void>): Promise<void> {
  await page.getByTestId('context-as-of').fill(date);
  await rerunDone();
  await idle(page);
  await expect(page.getByTestId('context-as-of')).toHaveValue(date);
}

test('roles set in the UI, the verdict, as-of date, a waiver, and all of it kept across a reload', async ({
  page,
}) => {
  test.setTimeout(360_000);
  await openDemoReadiness(page);

  // Assign the roles in the UI. Target and source are cleared and set again so each change
  // goes through the selects and its dependent checks really re-run.
  const blocker = findings(page, 'leakage-single-feature', 'blocker');
  await setRole(page, 'role-target', '', async () => {
    await expect(page.getByTestId('no-target')).toBeVisible({ timeout: ANALYSIS });
    await expect(blocker).toHaveCount(0, { timeout: ANALYSIS });
  });
  await setRole(page, 'role-target', 'churned', async () => {
    await expect(page.getByTestId('no-target')).toHaveCount(0);
    await expect(blocker).toHaveCount(1, { timeout: ANALYSIS });
  });
  await setRole(page, 'role-id', 'customer_id', async () => {});
  await setRole(page, 'role-event-time', 'snapshot_date', async () => {});
  await setRole(page, 'role-outcome-time', 'churn_date', async () => {});
  const scale = findings(page, 'consistency-scale');
  await setRole(page, 'role-source', '', async () => {
    await expect(scale).toHaveCount(0, { timeout: ANALYSIS });
    await expect(findings(page, 'labels-by-source', 'major')).toHaveCount(0);
  });
  // Without a source role, the suggested one is offered as a question, not applied.
  await expect(page.getByTestId('suggestion-role-source')).toContainText('Not applied');
  await setRole(page, 'role-source', 'source_system', async () => {
    await expect(scale).toHaveCount(1, { timeout: ANALYSIS });
  });
  // Once chosen, the source suggestion no longer asks.
  await expect(page.getByTestId('suggestion-role-source')).not.toContainText('Not applied');
  for (const [testId, column] of [
    ['role-target', 'churned'],
    ['role-id', 'customer_id'],
    ['role-event-time', 'snapshot_date'],
    ['role-outcome-time', 'churn_date'],
    ['role-source', 'source_system'],
  ] as const)
    await expect(page.getByTestId(testId)).toHaveValue(column);

  // The verdict and the planted problems.
  await expect(page.getByTestId('verdict')).toHaveText('Not ready');
  await expect(blocker.getByTestId('finding-columns')).toContainText('cancellation_reason');
  await expect(blocker.getByTestId('finding-title')).toContainText('“cancellation_reason”');
  await expect(page.getByTestId('open-issues')).toContainText('cancellation_reason');
  await expect(findings(page, 'labels-conflicting').getByTestId('finding-title')).toContainText(
    '40 groups of identical rows (80 rows',
  );
  await expect(findings(page, 'coverage-gaps', 'major').getByTestId('finding-title')).toContainText(
    'Apr 2025',
  );
  await expect(scale.getByTestId('finding-title')).toContainText('“monthly_fee” in source “legacy_billing”');
  await expect(scale.getByTestId('finding-columns')).toContainText('monthly_fee');
  await expect(findings(page, 'labels-by-source', 'major').getByTestId('finding-title')).toContainText(
    'legacy_billing',
  );
  await expect(findings(page, 'time-outcome-before-event').getByTestId('finding-title')).toContainText(
    '35 rows',
  );

  // The as-of date drives the time and coverage checks (and is independent of today's date here).
  const recency = findings(page, 'coverage-recency').getByTestId('finding-title');
  const future = findings(page, 'time-future').getByTestId('finding-title');
  await setAsOf(page, '2027-06-01', async () => {
    // The age of the newest row, and (recency by share) how few rows the last 90 days hold.
    await expect(recency).toContainText(
      'Newest record is 95 days old at 1 Jun 2027 (26 Feb 2027, 20:44:36)',
      { timeout: ANALYSIS },
    );
    await expect(recency).toContainText('are from the last 90 days');
    await expect(future).toHaveCount(0);
  });
  await setAsOf(page, '2026-11-01', async () => {
    // At the export date, the newest real snapshot is 8 months old and the future-dated rows show.
    await expect(recency).toContainText(
      'Newest record is 246 days old at 1 Nov 2026 (28 Feb 2026, 21:45:06)',
      { timeout: ANALYSIS },
    );
  });
  await expect(findings(page, 'coverage-recency')).toHaveAttribute('data-severity', 'major');
  await expect(future).toContainText('25 “snapshot_date” values are after the as-of date 1 Nov 2026');
  await expect(findings(page, 'coverage-gaps', 'major').getByTestId('finding-title')).toHaveText(
    '1 month with no rows: Apr 2025',
  );
  await expect(page.getByTestId('verdict')).toHaveText('Not ready');

  // Waive the only blocker with a reason: the verdict becomes conditional.
  const reason = 'cancellation_reason is dropped before training <b>not bold</b>';
  await expect(blocker).toHaveAttribute('data-waived', 'false');
  await blocker.getByTestId('waive').click();
  await expect(blocker.getByRole('button', { name: 'Confirm waiver' })).toBeDisabled();
  await blocker.getByTestId('waive-reason').fill(reason);
  await blocker.getByRole('button', { name: 'Confirm waiver' }).click();
  await expect(blocker).toHaveAttribute('data-waived', 'true');
  await expect(blocker.getByTestId('waiver-reason')).toHaveText(reason);
  await expect(page.getByTestId('verdict')).toHaveText('Ready with conditions');
  await expect(page.getByTestId('open-issues')).not.toContainText('cancellation_reason');
  await expect(page.getByTestId('verdict').locator('..')).toContainText(
    /0 open blockers,\s+\d+ open\s+majors,\s+1 waived/,
  );

  // Reload, go back to the list and reopen the audit: roles, context, waiver and verdict are kept,
  // though the data is not (client rows are never stored).
  const auditName = await page.getByRole('textbox', { name: 'Audit name' }).inputValue();
  expect(auditName).not.toBe('');
  await page.reload();
  await page.getByRole('button', { name: '← All audits' }).click();
  const list = page.getByTestId('audit-list');
  await expect(list).toContainText(auditName);
  await expect(page.getByTestId('verdict')).toHaveCount(0);
  await list.getByRole('button', { name: auditName, exact: true }).click();
  await sectionTab(page, 'Readiness & verdict').click();
  await expect(sectionTab(page, 'customer-churn.csv (not loaded)')).toBeVisible();
  await expect(page.getByTestId('dataset-not-loaded')).toBeVisible();
  await expect(page.getByTestId('verdict')).toHaveText('Ready with conditions');
  await expect(blocker).toHaveAttribute('data-waived', 'true');
  await expect(blocker.getByTestId('waiver-reason')).toHaveText(reason);
  await expect(page.locator('main b')).toHaveCount(0);
  await expect(page.getByTestId('context-as-of')).toHaveValue('2026-11-01');
  await expect(page.getByTestId('role-target')).toHaveValue('churned');
  await expect(page.getByTestId('role-source')).toHaveValue('source_system');
  await expect(findings(page, 'coverage-gaps', 'major').getByTestId('finding-title')).toHaveText(
    '1 month with no rows: Apr 2025',
  );
  await expect(page.getByTestId('run-audit')).toHaveCount(0);
});

// The demo carries its story's context, so the stale-data finding is judged at the extract date.
test('without a target the verdict calls for roles: it focuses the role editor and accepts the suggestions; a time role on a non-time column is refused', async ({
  page,
}) => {
  test.setTimeout(4 * ANALYSIS);
  await openDemoReadiness(page);
  // The demo's roles come from the suggestions; clearing the target is what a new user's audit looks like.
  await setRole(page, 'role-target', '', async () => {
    await expect(page.getByTestId('verdict-needs-target')).toBeVisible({ timeout: ANALYSIS });
  });
  await expect(page.getByTestId('verdict')).not.toHaveText('Ready');
  await page.getByTestId('verdict-set-roles').click();
  await expect(page.getByTestId('role-target')).toBeFocused();
  await expect(page.getByTestId('roles-editor')).toBeInViewport();

  await page.getByTestId('verdict-accept-roles').click();
  await expect(page.getByTestId('role-target')).toHaveValue('churned');
  await expect(page.getByTestId('verdict-needs-target')).toHaveCount(0, { timeout: ANALYSIS });
  await idle(page);
  await expect(page.getByTestId('verdict-accept-roles')).toHaveCount(0);

  // "region" holds names, not dates: refused at once, with the reason, and the role keeps its column.
  await page.getByTestId('role-event-time').selectOption('region');
  await expect(page.getByTestId('role-refused-role-event-time')).toContainText('“region”');
  await expect(page.getByTestId('role-event-time')).toHaveValue('snapshot_date');
});

test('hostile column names are plain text in the roles and the findings', async ({ page }) => {
  test.setTimeout(180_000);
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });
  const img = '<img src=x onerror=alert(1)>';
  const drop = 'a"; DROP TABLE t; --';
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(join(BAD, 'hostile-names.csv'));
  await expectRows(page, 'hostile-names.csv', '5');
  await sectionTab(page, 'Readiness & verdict').click();
  await expect(page.getByTestId('verdict')).toBeVisible({ timeout: ANALYSIS });
  await idle(page);

  // The names are options of the role selects, as text.
  for (const testId of ['role-target', 'role-source'])
    for (const name of [img, drop])
      await expect(page.getByTestId(testId).locator('option').filter({ hasText: name })).toHaveCount(1);

  await setRole(page, 'role-target', img, async () => {
    await expect(findings(page, 'volume-classes').first()).toBeVisible({ timeout: ANALYSIS });
  });
  await setRole(page, 'role-source', drop, async () => {
    await expect(
      findings(page, 'labels-by-source').getByTestId('finding-columns').filter({ hasText: drop }),
    ).toHaveCount(1, { timeout: ANALYSIS });
  });

  // Findings name the columns literally, and the SQL quotes them as identifiers.
  await expect(
    findings(page, 'volume-classes')
      .getByTestId('finding-title')
      .filter({ hasText: `“${img}”` })
      .first(),
  ).toBeVisible();
  await expect(findings(page, 'volume-classes').getByTestId('finding-columns').first()).toContainText(img);
  const bySource = findings(page, 'labels-by-source');
  await bySource.getByText('SQL that reproduces it').click();
  await expect(bySource.getByTestId('finding-sql')).toContainText('"a""; DROP TABLE t; --"');
  await expect(bySource.getByTestId('finding-sql')).toContainText('"<img src=x onerror=alert(1)>"');

  // Nothing was turned into markup or run.
  expect(await page.locator('main img').count()).toBe(0);
  expect(await page.locator('main script').count()).toBe(0);
  expect(dialogs).toBe(0);
  await expect(page.getByTestId('role-target')).toHaveValue(img);
  await expect(page.getByTestId('role-source')).toHaveValue(drop);
});
