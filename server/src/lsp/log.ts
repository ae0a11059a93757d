// What the server may write to its log: error messages and stacks, never document text, and
// never a password that a rule happened to put in a message.

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:'"]+):([^\s/@'"]+)@/gi;
const MAX_LOGGED_CHARS = 2000;

export function describeError(err: unknown): string {
  const text = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  const redacted = text.replace(URL_CREDENTIALS, '$1$2:***@');
  return redacted.length > MAX_LOGGED_CHARS ? `${redacted.slice(0, MAX_LOGGED_CHARS)}…` : redacted;
}
