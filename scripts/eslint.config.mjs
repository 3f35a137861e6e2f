// Tooling, not shipped: see ../eslint.tooling.config.mjs.
export { default } from '../eslint.tooling.config.mjs';
