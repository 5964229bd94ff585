#!/usr/bin/env node
import { execute } from '@oclif/core';
import { discoverPluginCommandPackages } from '../dist/plugin-command-discovery.js';
import { configFromArgv } from '../dist/config-from-argv.js';

const root = new URL('..', import.meta.url).pathname;
const pluginAdditions = await discoverPluginCommandPackages(configFromArgv(process.argv.slice(2)) ?? process.env.FERRY_CONFIG);
await execute({ dir: import.meta.url, loadOptions: pluginAdditions ? { root, pluginAdditions } : root });
