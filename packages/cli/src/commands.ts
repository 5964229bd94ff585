import { AddCommand } from './commands/add-command.js';
import { DemoCommand } from './commands/demo-command.js';
import { DoctorCommand } from './commands/doctor-command.js';
import { GraphCommand } from './commands/graph-command.js';
import { PluginsCommand } from './commands/plugins-command.js';

/** oclif's explicit command discovery reads this map (package.json oclif.commands). */
export const COMMANDS = {
  add: AddCommand,
  demo: DemoCommand,
  doctor: DoctorCommand,
  graph: GraphCommand,
  plugins: PluginsCommand,
};
