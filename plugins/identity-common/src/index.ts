export {};
export * from './apiTypes';
export * from './permissions';
