import { expect, type Page } from '@playwright/test';
import { scanKeys } from './scanner.js';

/** A clerk redeems one pack of tissues for a card at the counter and closes the receipt. */
export async function redeemTissues(page: Page, cardCode: string): Promise<void> {
  await scanKeys(page, cardCode);
  await expect(page.getByTestId('resident-card')).toHaveAttribute('data-card-code', cardCode);
  await page.getByRole('button', { name: /抽纸/ }).click();
  await page.getByRole('button', { name: '确认兑换' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
  await expect(page.getByTestId('receipt')).toContainText('积分兑换小票');
  await page.getByRole('button', { name: '完成' }).click();
}
