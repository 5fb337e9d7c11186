/** A problem with the command line or the file system, reported with exit code 2. */
export class UsageError extends Error {
  readonly hint?: string;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UsageError';
    if (hint !== undefined) this.hint = hint;
  }
}
