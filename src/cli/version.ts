// The version the CLI reports (`--version`, `${version}` in generated RBAC).
export const VERSION = '0.1.0';
