export * from './types';
export * from '../thresholds';
export * from './findings';
export * from './setup';
export * from './roles';
export * from './verdict';
export * from './registry';
export { FEATURE_DEPS, LABEL_DEPS } from './deps';
export * from './time-encoding';
