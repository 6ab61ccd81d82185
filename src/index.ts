// Porthole's public library API.
export * from './selinux/module.js';
