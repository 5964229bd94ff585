import { Command, Flags } from '@oclif/core';
import { configFlag } from '../config-flag.js';
import { checkConfig, checkCuda, checkKernels, checkNode, type CheckResult } from '../doctor-checks.js';

const MARK: Record<CheckResult['status'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', info: 'info' };

export class DoctorCommand extends Command {
  static override description = 'Check this machine and app: Node, config, kernel backends (native built or why not), CUDA';
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --config apps/kb/ferry.config.json --json'];
  static override flags = {
    config: configFlag,
    json: Flags.boolean({ description: 'print the checks as JSON' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DoctorCommand);
    const { result: configResult, host } = await checkConfig(flags.config);
    const results = [checkNode(), configResult, ...checkKernels(host), ...checkCuda()];
    await host?.dispose();
    if (flags.json) {
      this.log(JSON.stringify(results, null, 2));
    } else {
      for (const r of results) {
        this.log(`${MARK[r.status]}  ${r.name.padEnd(16)} ${r.detail}`);
        if (r.hint && r.status !== 'ok') this.log(`      ${' '.repeat(16)} fix: ${r.hint}`);
      }
    }
    if (results.some((r) => r.status === 'fail')) this.exit(1);
  }
}
