import { type Connection, MessageType } from 'vscode-languageserver';

/**
 * Failures of the linter itself (broken config, a crash while analysing one document) are
 * logged every time but shown to the user once per distinct message: an editor re-lints on
 * every keystroke, and a popup per keystroke is worse than the bug.
 */
export class Notifier {
  private readonly shown = new Set<string>();

  constructor(private readonly connection: Connection) {}

  log(message: string): void {
    this.connection.console.log(message);
  }

  error(message: string, detail?: unknown): void {
    const extra = detail instanceof Error ? `\n${detail.stack ?? detail.message}` : detail !== undefined ? `\n${String(detail)}` : '';
    this.connection.console.error(`${message}${extra}`);
  }

  /** `key` defaults to the message; give one to show a family of messages once. */
  showOnce(type: MessageType, message: string, key = message): void {
    if (this.shown.has(key)) return;
    this.shown.add(key);
    void this.connection.sendNotification('window/showMessage', { type, message });
  }

  showErrorOnce(message: string, key = message): void {
    this.showOnce(MessageType.Error, message, key);
  }
}
