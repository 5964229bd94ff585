export interface NamedCheck {
  name: string;
  check: () => Promise<void | string> | void | string;
}

export interface CheckOutcome {
  name: string;
  ok: boolean;
  ms: number;
  /** Why it failed; absent when ok. */
  reason?: string;
}

/** Runs every check at once, each bounded by `timeoutMs`; a returned string is a failure reason. */
export async function runChecks(checks: readonly NamedCheck[], timeoutMs: number): Promise<CheckOutcome[]> {
  return Promise.all(
    checks.map(async ({ name, check }) => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<string>((resolve) => {
          timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
        });
        const reason = await Promise.race([Promise.resolve().then(check), timeout]);
        const ms = Math.round(performance.now() - started);
        return typeof reason === 'string' ? { name, ok: false, ms, reason } : { name, ok: true, ms };
      } catch (error) {
        return { name, ok: false, ms: Math.round(performance.now() - started), reason: firstLine((error as Error)?.message ?? String(error)) };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
