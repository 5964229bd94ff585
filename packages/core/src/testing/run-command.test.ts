import { describe, expect, it } from 'vitest';
import { runCommand } from './run-command.js';

const printer = {
  async run(argv: string[], prefix: string) {
    console.log(prefix, argv.join(','));
    process.stdout.write('streamed\n');
    if (argv.includes('--fail')) throw Object.assign(new Error('exit'), { oclif: { exit: 2 } });
    if (argv.includes('--crash')) throw new Error('crashed');
  },
};

describe('runCommand', () => {
  it('captures console.log and stdout and restores them', async () => {
    const log = console.log;
    expect(await runCommand(printer, ['a', 'b'], '>')).toEqual({ stdout: '> a,b\nstreamed\n', exit: 0 });
    expect(console.log).toBe(log);
  });

  it("returns oclif's exit code and rethrows any other error", async () => {
    expect(await runCommand(printer, ['--fail'], '>')).toEqual({ stdout: '> --fail\nstreamed\n', exit: 2 });
    await expect(runCommand(printer, ['--crash'], '>')).rejects.toThrow('crashed');
  });
});
