/** The resolution engine: pure TypeScript, no Strapi import (docs/architecture.md §7). */
export * from './classification';
export * from './context';
export * from './experiments';
export * from './integrity';
export * from './merge';
export * from './objects';
export * from './profiles';
export * from './reasons';
export * from './decide';
export * from './rule-cost';
export * from './rule-match';
export * from './rules';
export * from './segment';
export * from './selection';
export * from './statistics';
export type * from './types';
