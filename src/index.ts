// Porthole's public library API: everything a script needs, importable as
// 'porthole'. The command-line front end uses only what is exported here.
// Grouped by domain, in the order data flows (see ARCHITECTURE.md).
// biome-ignore-all assist/source/organizeImports: grouped by domain, not by path

// ---- Diagnostics, places, inputs (src/base/)
export { DIAGNOSTIC_CODES, type Diagnostic, type DiagnosticCode, type DiagnosticNote, type DiagnosticOptions, diagnostic, PortholeError, type Severity } from './base/diagnostic.js';
export { diagnosticJson, escapeControl, escapeLogText, type PrintDiagnosticOptions, printDiagnostic, printDiagnostics } from './base/printDiagnostic.js';
export { pythonRegex } from './base/pythonRe.js';
export { type FileSourceOptions, fileSource, type LogInput, type LogSource, linesSource, readWholeFile, streamSource, textSource, toLogSources } from './base/source.js';
export { formatSpan, type Span } from './base/span.js';
export { jsonLine } from './base/jsonLine.js';

// ---- Audit logs: lines -> records -> events -> denials (src/audit/)
export type { Denial, SyscallInfo } from './audit/avc.js';
export { toDenials } from './audit/avc.js';
export { type ReadDenialsOptions, readDenials } from './audit/denials/read.js';
export { type DenialReportOptions, type DenialSummary, denialSummaryJson, formatDenialSummary, timeOutOfRangeDiagnostic, writeDenialReport } from './audit/denials/report.js';
export { parseTimeRange, type TimeContext, type TimeRange, timeRange } from './audit/denials/timeRange.js';
export type { AuditEvent } from './audit/event.js';
export { cutCell, type DenialEvent, denialRow, denialToJson, formatTable, showableTime, TABLE_COLUMNS, type TableOptions } from './audit/denials/format.js';
export { IOCTL_REQUEST_NUMBERS, ioctlRequestNumber } from './audit/record/ioctlNames.js';
export { auditLogPath, auditLogSources, bootTime, dmesgSource } from './audit/hostLogs.js';
export { malformedDiagnostic, noSelinuxRecordsDiagnostic, type ReadOptions, type ReadStats, readAuditEvents } from './audit/read.js';
export type { AuditRecord, AvcMessage, InvalidContextMessage, MalformedRecord } from './audit/record/record.js';
export { type ParseOptions, type ParseResult, parseAuditRecord, SKIPPED } from './audit/record/record.js';

// ---- The SELinux module IR (src/selinux/ir/)
export * from './selinux/ir/index.js';

// ---- Learning a module from denials: audit2allow (src/selinux/learn/)
export { type Analyzer, policyAnalyzer, type Verdict } from './selinux/learn/analysis.js';
export { type LearnFromLogsOptions, type LearnFromLogsResult, learnFromLogs } from './selinux/learn/fromLogs.js';
export { type ExplainLevel, type LearnOptions, learnModule } from './selinux/learn/learn.js';
export { checkModuleName, moduleNameWarning } from './selinux/learn/options.js';

// ---- Printing a module: .te, CIL, JSON (src/selinux/print/)
export { type PrintCilOptions, printCil } from './selinux/print/cil/cil.js';
export { checkFcSpec, printFileContexts } from './selinux/print/fc.js';
export { moduleToJson } from './selinux/print/json.js';
export { describeModule } from './selinux/print/summary.js';
export { printTe, printTeChunks } from './selinux/print/te.js';
export { checkTeWritable } from './selinux/print/teWritable.js';

// ---- Shipping: module packages (src/ship/)
export { INSTALL_HINT, type ModuleFiles, type ModulePackageResult, writeModulePackage } from './ship/modulePackage.js';

// ---- Binary policies: read, query (info, search), decide, transitions, paths (src/selinux/policy/)
export * from './selinux/policy/index.js';

// ---- Why an access was denied: audit2why (src/selinux/why/)
export { BooleanDescriber, booleanDescriptions, DEFAULT_POLICY_XML } from './selinux/why/booleanDesc.js';
export { emptyPermsMessage, type WhyOptions, type WhyResult, whyFromLogs } from './selinux/why/fromLogs.js';
export { formatWhy, formatWhyJson, type WhyRecord } from './selinux/why/report.js';

// ---- Kubernetes: audit events -> RBAC (audit2rbac), RBAC check (src/k8s/)
export type { KubeAuditEvent, KubeObjectReference, KubeUserInfo } from './k8s/audit/event.js';
export { type KubeReadStats, malformedEventDiagnostic, type ReadKubeEventsOptions, readKubeEvents } from './k8s/audit/read.js';
export { RbacAuthorizer, type AllowingRule, ruleAllows } from './k8s/rbac/authorizer.js';
export { compactRules } from './k8s/rbac/compact.js';
export { DEFAULT_VERB_EXPANSIONS, defaultGenerateOptions, discoveryRbac, type GenerateOptions, generateRbac, userToSubject } from './k8s/rbac/generate.js';
export { type LearnedSubject, type LearnRbacOptions, type LearnRbacResult, learnRbac, type RbacSubjectFilter } from './k8s/rbac/learn.js';
export { eventToRequest, type RbacMode, type RequestAttributes, requestKey } from './k8s/rbac/request.js';
export type { AggregationRule, ObjectMeta, PolicyRule, RbacObjects, Role, RoleBinding, RoleRef, Subject } from './k8s/rbac/rule.js';
export { printRbacYaml, rbacObjectsJson, toKubeJson } from './k8s/rbac/yaml.js';
export { type CheckRbacOptions, checkRbac, type DeniedRequest, describeRequest, formatRbacCheck, type RbacCheckReport, RbacReplay, type RuleUse, rbacCheckJson } from './k8s/rbac/check/check.js';
export { type ManifestFile, type ReadManifestsResult, readRbacManifests } from './k8s/rbac/check/manifests.js';
// ---- File labels: file_contexts, equivalence rules, lookups as matchpathcon (src/selinux/labels/)
export * from './selinux/labels/index.js';
// ---- Policy sources: m4 as the devel Makefile runs it (src/selinux/lang/m4/)
export * from './selinux/lang/m4/index.js';
// ---- The module language: .te and .fc after m4, parsed (src/selinux/lang/te/); the syntax tree's types are te.NAME
export * as te from './selinux/lang/te/index.js';
export { type CheckModuleOptions, checkModule, parseFileContextsText, parseModuleText, type TeParseResult } from './selinux/lang/te/index.js';
// ---- Lowering a parsed module and its .fc to the module IR (src/selinux/lang/te/lower/)
export { type LowerOptions, lowerFileContexts, lowerModule } from './selinux/lang/te/lower/index.js';
// ---- The formatter of .te, .if and .fc sources (src/selinux/lang/fmt/)
export * from './selinux/lang/fmt/index.js';
// ---- The module build: m4, parse and checks over a module's .te/.if/.fc, and the interface-call checks (src/selinux/lang/build/)
export * from './selinux/lang/build/index.js';
export { CUT_MARK, MAX_CELL_WIDTH, MAX_EVENT_RECORDS, MAX_LOG_BYTES, MAX_WHOLE_FILE_BYTES, parseByteSize } from './base/limits.js';
export { RequestCollector } from './k8s/rbac/learn.js';
export { createRbacServer, type RbacServer, type RbacServerOptions, type RbacServerStats } from './k8s/serve/server.js';
// ---- refpolicy interfaces, templates and support macros: search and lookup (src/selinux/refpolicy/)
export * from './selinux/refpolicy/index.js';
// ---- What interface calls grant: expand one call, the access index and `iface for`, the raw-allow lint (src/selinux/lang/iface/)
export * from './selinux/lang/iface/index.js';
// ---- Lint rules over .te/.if/.fc sources read without m4 (`porthole check`, src/selinux/lang/lint/)
export * from './selinux/lang/lint/index.js';
