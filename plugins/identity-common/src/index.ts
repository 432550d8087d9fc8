export {};
export * from './accessApiTypes';
export * from './apiTypes';
export * from './permissions';
