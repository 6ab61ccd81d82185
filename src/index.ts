// Porthole's public library API.
export * from './selinux/ir/index.js';
