export * from './schema';
export * from './defaults';
export * from './findings';
export * from './work-plan';
export * from './timeline';
export * from './prefill';
export * from './presentation';
export * from './package';
