import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { NativeAddon } from './native-addon.js';

const DEFAULT_ADDON = fileURLToPath(new URL('../build/Release/ferry_native.node', import.meta.url));
const STATUS_FILE = fileURLToPath(new URL('../build/ferry-native-status.json', import.meta.url));
const REBUILD = 'Run `pnpm rebuild @ferry/native` (needs a C++17 compiler, make and python3), or `node scripts/build-native.mjs` in the package folder.';

/** What the install-time build recorded, and whether the addon loads now. */
export interface NativeBuildStatus {
  loaded: boolean;
  addonPath: string;
  /** Why the addon is not usable; absent when it loaded. */
  reason?: string;
  /** How to fix it. */
  fix?: string;
  /** build/ferry-native-status.json as written by scripts/build-native.mjs, when present. */
  build?: { ok: boolean; reason?: string; detail?: string; fix?: string; at?: string };
}

type LoadResult = { addon: NativeAddon; status: NativeBuildStatus } | { addon?: undefined; status: NativeBuildStatus };

let cached: { path: string; result: LoadResult } | undefined;

/** `FERRY_NATIVE_ADDON` points at another build (tests use a missing path to exercise the fallback). */
export function addonPath(): string {
  return process.env.FERRY_NATIVE_ADDON ?? DEFAULT_ADDON;
}

/** Loads the addon once per path; never throws. */
export function loadAddon(): LoadResult {
  const path = addonPath();
  if (cached?.path !== path) cached = { path, result: tryLoad(path) };
  return cached.result;
}

function tryLoad(path: string): LoadResult {
  const build = readBuildRecord();
  if (!existsSync(path)) {
    const why = build && !build.ok ? `the install-time build failed: ${build.reason ?? 'no reason recorded'}` : 'it was never built (install scripts skipped?)';
    return { status: { loaded: false, addonPath: path, reason: `native addon ${path} is missing: ${why}`, fix: build?.fix ?? REBUILD, ...(build ? { build } : {}) } };
  }
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    return { addon, status: { loaded: true, addonPath: path, ...(build ? { build } : {}) } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: {
        loaded: false,
        addonPath: path,
        reason: `native addon ${path} does not load (built for another Node or platform?): ${message}`,
        fix: REBUILD,
        ...(build ? { build } : {}),
      },
    };
  }
}

function readBuildRecord(): NativeBuildStatus['build'] {
  try {
    return JSON.parse(readFileSync(STATUS_FILE, 'utf8')) as NativeBuildStatus['build'];
  } catch {
    return undefined;
  }
}
