// What the workbench prints that says nothing about our tests: offline sign-in and chat services, and every failed
// lookup of an online service (extension gallery, open-vsx, update and telemetry hosts) with its stack trace, and the
// cancelled state reads and writes of a closing page. Our
// machines are offline by design; those messages only bury the test output. Pure.

const SERVICE_PREFIX = /^\[(AgentHost|ChatModelSelection|AccountPolicyGate)\]/;
/** What the workbench prints while the page closes after the tests: cancelled reads and writes of its own state. */
const SHUTDOWN = /\(Canceled: Canceled\)|IndexedDB database '[^']*' is closed|^\[lifecycle\]/;
const OFFLINE = /ENOTFOUND|EAI_AGAIN|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|getaddrinfo|open-vsx\.org|marketplace\.visualstudio\.com|gallery\.vsassets|update\.code\.visualstudio\.com|vscode-unpkg\.net|vscode-cdn\.net|default\.exp-tas\.com|mobile\.events\.data\.microsoft\.com|Failed to fetch/;

/** True for a workbench message (possibly a multi-line stack trace) that is offline noise. */
export function isWorkbenchNoise(text: string): boolean {
  return SERVICE_PREFIX.test(text) || OFFLINE.test(text) || SHUTDOWN.test(text);
}
