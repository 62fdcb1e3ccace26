/** The incentive mechanism: pure math over stake and sparse weights, no I/O. */
export * from './eigentrust.js';
export * from './json.js';
export * from './run.js';
export * from './simulate.js';
export * from './sparse.js';
export * from './vector.js';
export * from './yuma.js';
