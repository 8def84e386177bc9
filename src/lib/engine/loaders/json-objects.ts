import { LoadError, quotedName } from '../errors';
import type { JsonRecords } from './json-deep';

/**
 * Records inside one JSON object: a GeoJSON FeatureCollection becomes one row
 * per feature, and an object holding arrays of records (`{"data": […]}`, or
 * `{"nodes": […], "links": […]}`) gives the chosen array, by default the largest.
 */
export function recordsFromObject(
  parsed: unknown,
  fileName: string,
  wantedArray?: string,
): JsonRecords & { records: object[] } {
  if (isFeatureCollection(parsed)) {
    const { records, warnings } = featureRecords(parsed.features, fileName);
    if (records.length === 0)
      throw new LoadError(
        'header-only',
        `${quotedName(fileName)} is a GeoJSON FeatureCollection with no features.`,
      );
    return { text: JSON.stringify(records), keyOrder: keysInOrder(records), warnings, records };
  }
  const arrays = recordArrays(parsed);
  if (arrays.length === 0)
    throw new LoadError(
      'malformed-json',
      `${quotedName(fileName)} is a single JSON object, not a list of records. Expected an array of objects, an object holding one, or one object per line (NDJSON).`,
    );
  const summaries = arrays.map(([name, rows]) => ({ name, rows: rows.length }));
  let chosen: [string, object[]] | undefined;
  if (wantedArray !== undefined) {
    chosen = arrays.find(([name]) => name === wantedArray);
    if (!chosen)
      throw new LoadError(
        'sheet-not-found',
        `${quotedName(fileName)} has no array of records named “${wantedArray}”. Arrays: ${summaries.map((a) => a.name).join(', ')}.`,
      );
  } else chosen = arrays.reduce((best, a) => (a[1].length > best[1].length ? a : best));
  const warnings =
    wantedArray === undefined && arrays.length > 1
      ? [
          `${quotedName(fileName)} holds ${arrays.length} arrays of records (${summaries.map((a) => `${a.name}: ${a.rows.toLocaleString('en-US')}`).join(', ')}); loaded “${chosen[0]}”, the largest. Choose another array in the load options.`,
        ]
      : [];
  return {
    records: chosen[1],
    text: JSON.stringify(chosen[1]),
    keyOrder: keysInOrder(chosen[1]),
    warnings,
    ...(arrays.length > 1 ? { arrays: summaries } : {}),
    array: chosen[0],
  };
}

/** The object's own keys whose values are non-empty arrays of plain objects, in key order. */
function recordArrays(parsed: unknown): [string, object[]][] {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return [];
  return Object.entries(parsed).filter(
    (entry): entry is [string, object[]] =>
      Array.isArray(entry[1]) &&
      entry[1].length > 0 &&
      entry[1].every((r: unknown) => typeof r === 'object' && r !== null && !Array.isArray(r)),
  );
}

interface Feature {
  id?: unknown;
  properties?: unknown;
  geometry?: unknown;
}

function isFeatureCollection(value: unknown): value is { features: Feature[] } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; features?: unknown };
  return v.type === 'FeatureCollection' && Array.isArray(v.features);
}

/**
 * One flat record per GeoJSON feature: its properties, its id, and its geometry
 * as `geometry_type` plus `geometry_longitude`/`_latitude`/`_altitude` for
 * points, or the coordinates as JSON text for other shapes.
 */
function featureRecords(features: unknown[], fileName: string): { records: object[]; warnings: string[] } {
  const records: object[] = [];
  let nonPoint = 0;
  features.forEach((raw, index) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new LoadError(
        'malformed-json',
        `${quotedName(fileName)} feature ${index + 1} is not a GeoJSON Feature object.`,
      );
    const feature = raw as Feature;
    const properties =
      typeof feature.properties === 'object' &&
      feature.properties !== null &&
      !Array.isArray(feature.properties)
        ? (feature.properties as Record<string, unknown>)
        : {};
    const record: Record<string, unknown> = {};
    if (feature.id !== undefined) record.feature_id = feature.id;
    for (const [key, value] of Object.entries(properties)) if (!(key in record)) record[key] = value;
    const geometry = (
      typeof feature.geometry === 'object' && feature.geometry !== null ? feature.geometry : {}
    ) as { type?: unknown; coordinates?: unknown };
    const put = (key: string, value: unknown): void => {
      let name = key;
      for (let n = 2; name in record; n++) name = `${key}_${n}`;
      record[name] = value;
    };
    put('geometry_type', typeof geometry.type === 'string' ? geometry.type : null);
    const c = geometry.coordinates;
    if (geometry.type === 'Point' && Array.isArray(c)) {
      put('geometry_longitude', typeof c[0] === 'number' ? c[0] : null);
      put('geometry_latitude', typeof c[1] === 'number' ? c[1] : null);
      put('geometry_altitude', typeof c[2] === 'number' ? c[2] : null);
    } else {
      if (c !== undefined) nonPoint += 1;
      put('geometry_coordinates', c === undefined ? null : JSON.stringify(c));
    }
    records.push(record);
  });
  const warnings = [
    `${quotedName(fileName)} is a GeoJSON FeatureCollection: each of its ${features.length.toLocaleString('en-US')} features is a row of its properties, with its geometry type and coordinates as columns.${nonPoint > 0 ? ` ${nonPoint.toLocaleString('en-US')} non-point geometries keep their coordinates as JSON text.` : ''}`,
  ];
  return { records, warnings };
}

/** Keys in first-seen order over the first records: the file's own column order. */
export function keysInOrder(records: object[]): string[] {
  const keys = new Set<string>();
  for (const record of records.slice(0, 1000)) for (const key of Object.keys(record)) keys.add(key);
  return [...keys];
}
