/**
 * The predictions table's columns and their types (the contract in
 * `analysis.ts`: y is 1 for the positive class, or the numeric target; p the
 * probability of the positive class, or the predicted value).
 */
export const PREDICTION_COLUMNS = { model: 'VARCHAR', rid: 'BIGINT', y: 'DOUBLE', p: 'DOUBLE' } as const;

export type PredictionColumn = keyof typeof PREDICTION_COLUMNS;

/**
 * The select list `CAST(<value> AS <type>) AS <column>` of every prediction
 * column, each value an SQL expression, so the parts of a UNION and the
 * table a SELECT creates get the contract's types.
 */
export function typedPredictionColumns(values: Readonly<Record<PredictionColumn, string>>): string {
  return Object.entries(PREDICTION_COLUMNS)
    .map(([column, type]) => `CAST(${values[column as PredictionColumn]} AS ${type}) AS ${column}`)
    .join(', ');
}
