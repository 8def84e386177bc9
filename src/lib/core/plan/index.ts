export * from '../model/plan';
export * from './rules';
export * from './compute';
export * from './evaluate';
export * from './findings';
export * from './summary';
export * from './document';
