/** A seeded mixed-type table: numerics with skew and sentinels, categories, text, dates, booleans, nulls. */
export function mixedTableSql(rows: number, columns: number): string {
  const kinds = ['num', 'cat', 'date', 'text', 'int', 'bool'];
  const exprs = Array.from({ length: columns }, (_, i) => {
    const h = `hash(i * ${i + 7})`;
    switch (kinds[i % kinds.length]) {
      case 'num':
        return `CASE WHEN ${h} % 50 = 0 THEN NULL WHEN ${h} % 997 = 0 THEN -999 ELSE exp((${h} % 10000) / 2500.0) END AS num_${i}`;
      case 'cat':
        return `(['North','South','East','West','north ','NORTH','Central'])[(1 + ${h} % 7)::BIGINT] AS cat_${i}`;
      case 'date':
        return `TIMESTAMP '2022-01-01' + to_seconds((${h} % 94608000)::BIGINT) AS date_${i}`;
      case 'text':
        return `CASE WHEN ${h} % 20 = 0 THEN 'N/A' ELSE 'user' || (${h} % 100000)::VARCHAR || '@example.com' END AS text_${i}`;
      case 'int':
        return `(${h} % 1000)::INTEGER - 100 AS int_${i}`;
      default:
        return `${h} % 3 = 0 AS bool_${i}`;
    }
  });
  return `SELECT ${exprs.join(', ')} FROM range(${rows}) t(i)`;
}
