/**
 * The demo's second, later extract with planted drift, for the drift
 * comparison and the re-audit diff. Same generator, schema and defects as the
 * first extract (another seed, exported three months later), then four
 * changes planted on purpose; every other column is left as generated:
 *
 * - price rise: `monthly_fee` × 1.15 on both CRMs (the legacy platform keeps
 *   its cents, so its unit defect stays as it was);
 * - a new plan: "Enterprise Plus" on 8 % of the rows (a new category);
 * - a channel shift: `payment_method` "Invoice" becomes "Direct debit" on
 *   half of the invoice rows;
 * - concept drift: in region North only, a quarter of the non-churners churn
 *   (the label rate rises there and nowhere else).
 */
import { Rng, generateChurnDataset, type ChurnRow } from './synthetic.ts';

export interface LaterExtract {
  csv: string;
  planted: {
    rows: number;
    asOf: string;
    seed: number;
    monthlyFeeFactor: { factor: number; sources: string[]; rows: number };
    newPlan: { value: string; rows: number };
    paymentShift: { from: string; to: string; rows: number };
    northLabelFlip: { region: string; flipped: number; share: number };
    untouched: string[];
  };
}

const YES: Record<string, string> = { No: 'Yes', N: 'Y', no: 'yes' };

function csvCell(value: string | undefined): string {
  const text = value ?? '';
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The later extract: seed 43, 6,000 rows, exported 2027-02-01, with the drift above. */
export function generateLaterExtract(seed = 43, rows = 6_000, asOf = '2027-02-01'): LaterExtract {
  const { csv, rows: data } = generateChurnDataset({ seed, rows, asOf });
  const header = csv.slice(0, csv.indexOf('\n')).split(',') as (keyof ChurnRow)[];
  const rng = new Rng(seed * 7 + 1);
  let feeRows = 0;
  let planRows = 0;
  let paymentRows = 0;
  let northNonChurners = 0;
  let flipped = 0;
  for (const row of data) {
    if (row.source_system !== 'legacy_billing') {
      const fee = Number(row.monthly_fee);
      // Sentinels (-1, 99999) stay as they are: they are codes, not prices.
      if (Number.isFinite(fee) && fee > 0 && fee < 99_999) {
        row.monthly_fee = (fee * 1.15).toFixed(2);
        feeRows++;
      }
    }
    if (rng.float() < 0.08) {
      row.plan = 'Enterprise Plus';
      planRows++;
    }
    if (row.payment_method === 'Invoice' && rng.float() < 0.5) {
      row.payment_method = 'Direct debit';
      paymentRows++;
    }
    const churnedNo = YES[row.churned.trim()] !== undefined;
    if (row.region.toLowerCase() === 'north' && churnedNo) {
      northNonChurners++;
      if (rng.float() < 0.25) {
        row.churned = YES[row.churned.trim()]!;
        // A churner has an outcome date: 30 days after the snapshot.
        const day = new Date(`${row.snapshot_date.slice(0, 10)}T00:00:00Z`);
        row.churn_date = new Date(day.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
        flipped++;
      }
    }
  }
  const lines = [header.join(','), ...data.map((r) => header.map((h) => csvCell(r[h])).join(','))];
  return {
    csv: `${lines.join('\n')}\n`,
    planted: {
      rows: data.length,
      asOf,
      seed,
      monthlyFeeFactor: { factor: 1.15, sources: ['crm_eu', 'crm_us'], rows: feeRows },
      newPlan: { value: 'Enterprise Plus', rows: planRows },
      paymentShift: { from: 'Invoice', to: 'Direct debit', rows: paymentRows },
      northLabelFlip: { region: 'North', flipped, share: northNonChurners ? flipped / northNonChurners : 0 },
      untouched: ['tenure_months', 'support_tickets', 'last_login_days', 'contract_type'],
    },
  };
}
