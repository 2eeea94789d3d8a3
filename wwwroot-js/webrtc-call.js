// @ts-check
// The call module comes in the lobby issue.
export function ping() { return 'pong'; }
