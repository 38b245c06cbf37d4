// Whether a child will load our preload and the addon (and so takes its channel from
// DEKA_CHANNEL_FD), and how a child's NODE_OPTIONS is made to load it.
import fs from 'fs';
import path from 'path';

/**
 * Absolute path of the preload as children get it in NODE_OPTIONS: the compiled
 * dist/register.js itself (the package's register.js only forwards to it, one more file for
 * every process of the tree to load).
 */
export const registerPath = path.join(__dirname, 'register.js');
const packageRegisterPath = path.resolve(__dirname, '..', 'register.js');

const registerSpecifier = /(^|[\\/])deka-ipc[\\/](dist[\\/])?register(\.js)?$/;

function namesRegister(value: string): boolean {
  return value === registerPath || value === packageRegisterPath || registerSpecifier.test(value);
}

/** `--require=<dist/register.js>`, quoted the way NODE_OPTIONS parses quotes. */
export function requireOption(): string {
  const needsQuotes = /[\s"\\]/.test(registerPath);
  const value = needsQuotes ? `"${registerPath.replace(/[\\"]/g, (c) => '\\' + c)}"` : registerPath;
  return `--require=${value}`;
}

/** Whether NODE_OPTIONS loads our preload (either file; register.ts checks its own path first). */
export function nodeOptionsLoadRegister(nodeOptions: string | undefined): boolean {
  return typeof nodeOptions === 'string' && (nodeOptions.includes(registerPath) || nodeOptions.includes(packageRegisterPath));
}

/** `-r X`, `--require X`, `--require=X`, `--import X` among the arguments. */
export function argsLoadRegister(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = String(args[i]);
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (flag !== '-r' && flag !== '--require' && flag !== '--import') continue;
    const value = eq === -1 ? String(args[i + 1] ?? '') : arg.slice(eq + 1);
    if (namesRegister(value)) return true;
  }
  return false;
}

/** A Node binary: the one running us, or one named node / nodeNN. */
export function isNodeBinary(file: string): boolean {
  return file === process.execPath || /^node(\d+)?$/.test(path.basename(file));
}

/**
 * Whether a Node child with these arguments and NODE_OPTIONS is kept from loading addons:
 * `--no-addons`, or the permission model (`--permission`, `--experimental-permission` on
 * Node 20/22) without `--allow-addons`. Script arguments that look like these flags count
 * too: a false alarm only gives that child Node's builtin channel, which works as well.
 */
export function addonsOffFor(args: readonly string[], nodeOptions: string | undefined): boolean {
  const flags = [...args.map(String), ...(nodeOptions ?? '').split(/\s+/)].map((f) => f.split('=')[0]);
  if (flags.includes('--no-addons')) return true;
  const permission = flags.includes('--permission') || flags.includes('--experimental-permission');
  return permission && !flags.includes('--allow-addons');
}

function realPath(file: string): string | null {
  try {
    return fs.realpathSync(file);
  } catch {
    return null;
  }
}

/**
 * Whether `file` is the very binary running us, so that our build of the addon loads in
 * it (another Node line would need a build of its own). A bare name is looked up on PATH.
 */
export function isThisRuntime(file: string, searchPath: string | undefined): boolean {
  if (file === process.execPath) return true;
  const self = realPath(process.execPath);
  if (file.includes('/')) return realPath(file) === self;
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const found = realPath(path.join(dir, file));
    if (found) return found === self;
  }
  return false;
}
