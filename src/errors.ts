// One error type per exit code; the CLI's single top-level catch maps them.

export const ExitCode = {
  passed: 0,
  assertionFailed: 1,
  invalidInput: 2,
  infrastructure: 3,
  interrupted: 130,
} as const;

export class ShakedownError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number, options?: ErrorOptions) {
    super(message, options);
    this.exitCode = exitCode;
    this.name = new.target.name;
  }
}

/** One problem in an input file, located by a dotted path. */
export interface Issue {
  file: string;
  path: string;
  message: string;
}

export function formatIssue(issue: Issue): string {
  return issue.path ? `${issue.file}: ${issue.path}: ${issue.message}` : `${issue.file}: ${issue.message}`;
}

/** Bad input: every problem found, reported at once. Exit 2. */
export class InputError extends ShakedownError {
  readonly issues: Issue[];
  constructor(issues: Issue[]) {
    super(issues.map(formatIssue).join('\n'), ExitCode.invalidInput);
    this.issues = issues;
  }
  static single(file: string, path: string, message: string): InputError {
    return new InputError([{ file, path, message }]);
  }
}

/** Wrong command-line usage. Exit 2. */
export class UsageError extends ShakedownError {
  constructor(message: string) {
    super(message, ExitCode.invalidInput);
  }
}

/** The cluster, the engine or a tool failed us. Exit 3. */
export class InfraError extends ShakedownError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCode.infrastructure, options);
  }
}

/** The run was stopped by a signal. Exit 130. */
export class InterruptedError extends ShakedownError {
  constructor(message = 'interrupted') {
    super(message, ExitCode.interrupted);
  }
}

/** An error and what caused it, in one line: "Error occurred in health request: fetch failed: connect ECONNREFUSED …" (client-node's message alone names no reason). */
export function withCauses(error: unknown): string {
  const messages: string[] = [];
  for (let e = error; e instanceof Error && messages.length < 5; e = e.cause) messages.push(e.message);
  return messages.join(': ') || String(error);
}
