import { MultimodalAdCommand } from './commands/multimodal-ad-command.js';
import { MultimodalAskCommand } from './commands/multimodal-ask-command.js';
import { MultimodalClassifyCommand } from './commands/multimodal-classify-command.js';
import { MultimodalEmbedCommand } from './commands/multimodal-embed-command.js';
import { MultimodalSearchCommand } from './commands/multimodal-search-command.js';

/** oclif's explicit command discovery reads this map (package.json oclif.commands). */
export const COMMANDS = {
  'multimodal:embed': MultimodalEmbedCommand,
  'multimodal:classify': MultimodalClassifyCommand,
  'multimodal:search': MultimodalSearchCommand,
  'multimodal:ask': MultimodalAskCommand,
  'multimodal:ad': MultimodalAdCommand,
};
