// `airgapLint.trace.server` as users expect it: "messages" or "verbose" shows the LSP traffic
// in the Air-Gap Lint output channel. vscode-languageclient 11 only traces when the channel's
// own log level is Trace (and then treats `off` as `messages`); this view of the channel
// reports Trace while the setting asks for tracing, and writes the trace lines at Info level
// so that they show without changing the channel's level.
import { EventEmitter, LogLevel, workspace, type Disposable, type LogOutputChannel } from 'vscode';

const SETTING = 'airgapLint.trace.server';

function tracing(): boolean {
  const value = workspace.getConfiguration().get<unknown>(SETTING, 'off');
  return value === 'messages' || value === 'verbose';
}

export function traceChannel(channel: LogOutputChannel): LogOutputChannel & Disposable {
  const levelChanged = new EventEmitter<LogLevel>();
  const level = () => (tracing() ? LogLevel.Trace : channel.logLevel);
  const subscriptions = [
    levelChanged,
    channel.onDidChangeLogLevel(() => levelChanged.fire(level())),
    // The client re-reads the trace level on this event only.
    workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SETTING)) levelChanged.fire(level());
    }),
  ];
  return new Proxy(channel, {
    get(target, property, receiver) {
      if (property === 'logLevel') return level();
      if (property === 'onDidChangeLogLevel') return levelChanged.event;
      if (property === 'trace') {
        return (message: string, ...args: unknown[]) => (tracing() ? target.info(message, ...args) : target.trace(message, ...args));
      }
      if (property === 'dispose') return () => subscriptions.forEach((s) => s.dispose());
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as LogOutputChannel & Disposable;
}
