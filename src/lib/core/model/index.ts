/**
 * The floor of core: the audit document's zod schemas (and the plan, drift and
 * deliverable parts it embeds), the types they infer, and the document's
 * creation and validation. Nothing here imports another folder of core.
 */
export * from './audit';
export * from './deliverable';
export * from './document';
export * from './drift';
export * from './feasibility';
export * from './json-schema';
export * from './plan';
